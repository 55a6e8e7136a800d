package dev.drep.scanner.reservation;

import dev.drep.identity.Scopes;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Whose reservations a caller may make, renew, release and check against: its own (the holder is the authenticated
 * principal's name, the default when a request names none) and holders below it ({@code ci-bot/agent-3} for the
 * principal {@code ci-bot}, so one token can run several agents that must not collide with each other). Acting for any
 * other holder needs {@link Scopes#RESERVATIONS_ADMIN}.
 */
final class Holders {
    private Holders() {
    }

    static String actingFor(SecurityIdentity caller, String requested) {
        String principal = caller.getPrincipal().getName();
        if (requested == null || requested.isBlank()) {
            return principal;
        }
        String holder = requested.trim();
        if (holder.equals(principal) || holder.startsWith(principal + "/") || caller.hasRole(Scopes.RESERVATIONS_ADMIN)) {
            return holder;
        }
        throw new ForbiddenException("the caller '" + principal + "' may act only for the holder '" + principal + "' or '"
                + principal + "/<name>'; acting for '" + holder + "' needs scope '" + Scopes.RESERVATIONS_ADMIN + "'");
    }
}
