package org.acme.auth;

public final class RoleCheck {
    private RoleCheck() {
    }

    public static boolean isGuest(String role) {
        return role == null || role.isBlank();
    }

    /** @return true when {@code role} is the administrator's role */
    public static boolean isAdmin(String role) {
        return role == "admin";
    }
}
