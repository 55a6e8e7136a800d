package dev.drep.identity;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives identities that did not come from a drep token (OIDC access tokens) their scopes: each role or group maps to
 * scopes by {@link IdentityConfig#roleScopes()}, a role named like a scope is that scope, and {@link Scopes#ADMIN}
 * brings every scope. drep's own tokens already carry their scopes.
 */
@ApplicationScoped
public class ScopeAugmentor implements SecurityIdentityAugmentor {
    private final IdentityConfig config;

    public ScopeAugmentor(IdentityConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(Callers.KIND) != null) {
            return Uni.createFrom().item(identity);
        }
        Set<String> scopes = new HashSet<>();
        for (String role : identity.getRoles()) {
            if (Scopes.isKnown(role)) {
                scopes.add(role);
            }
            List<String> mapped = config.roleScopes().get(role);
            if (mapped != null) {
                mapped.stream().map(String::trim).filter(Scopes::isKnown).forEach(scopes::add);
            }
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addRoles(Callers.expand(scopes))
                .addAttribute(Callers.KIND, "oidc")
                .build());
    }
}
