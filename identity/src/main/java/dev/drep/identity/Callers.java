package dev.drep.identity;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The principal every way in produces: a name, its scopes (as the identity's roles) and, for an API token restricted
 * to one repository, that repository. Endpoints that act on a repository call {@link #requireRepository}.
 */
public final class Callers {
    /** Identity attribute: how the caller authenticated ({@link #KIND_API_TOKEN}, {@link #KIND_SERVICE}, oidc). */
    public static final String KIND = "drep.kind";
    /** Identity attribute: the one repository ({@code owner/name}) the caller is restricted to. */
    public static final String REPOSITORY = "drep.repository";
    /** Identity attribute: the API token's id. */
    public static final String TOKEN_ID = "drep.token-id";
    static final String KIND_API_TOKEN = "api-token";
    static final String KIND_SERVICE = "service";

    private Callers() {
    }

    static SecurityIdentity identity(String name, String kind, Collection<String> scopes, Optional<String> repository) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(name))
                .addRoles(expand(scopes))
                .addAttribute(KIND, kind);
        repository.ifPresent(r -> builder.addAttribute(REPOSITORY, r));
        return builder.build();
    }

    /** @return the scopes, with every scope added when {@link Scopes#ADMIN} is among them */
    static Set<String> expand(Collection<String> scopes) {
        Set<String> expanded = new TreeSet<>(scopes);
        if (expanded.contains(Scopes.ADMIN)) {
            expanded.addAll(Scopes.ALL);
        }
        return expanded;
    }

    /** @return the repository the caller is restricted to, if it is */
    public static Optional<String> repository(SecurityIdentity identity) {
        return Optional.ofNullable(identity.<String>getAttribute(REPOSITORY));
    }

    /** @return the caller's scopes, sorted (what a refusal lists) */
    public static Set<String> scopes(SecurityIdentity identity) {
        Set<String> scopes = new TreeSet<>(identity.getRoles());
        scopes.retainAll(Scopes.ALL);
        return scopes;
    }

    /**
     * Refuses (403) a caller restricted to another repository.
     *
     * @param fullName the repository the call is about, {@code owner/name}
     */
    public static void requireRepository(SecurityIdentity identity, String fullName) {
        Optional<String> allowed = repository(identity);
        if (allowed.isPresent() && !allowed.get().equalsIgnoreCase(fullName)) {
            throw new ForbiddenException("the token is restricted to repository '" + allowed.get() + "'; this call is for '"
                    + fullName + "'");
        }
    }

    /** Refuses (403) any caller restricted to a repository: for calls that span repositories or name none. */
    public static void requireUnrestricted(SecurityIdentity identity, String what) {
        repository(identity).ifPresent(r -> {
            throw new ForbiddenException("the token is restricted to repository '" + r + "'; " + what
                    + " needs a token that is not restricted to one repository");
        });
    }
}
