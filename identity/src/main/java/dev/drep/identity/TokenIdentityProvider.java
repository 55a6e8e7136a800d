package dev.drep.identity;

import dev.drep.core.identity.TokenHashes;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a drep token: first against the configured callers (other services, the bootstrap admin), then against the
 * stored API tokens: in the scanner's own {@link ApiTokenDirectory}, elsewhere through the scanner's token introspection
 * ({@link IntrospectedTokens}) when {@code drep.identity.introspection.url} is set. Refusals say what is wrong with the
 * token (unknown, expired, revoked, or that it cannot be checked now), never the token.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<DrepTokenRequest> {
    private final IdentityConfig config;
    private final Instance<ApiTokenDirectory> directory;
    private final IntrospectedTokens introspected;
    private final Clock clock;

    public TokenIdentityProvider(IdentityConfig config, Instance<ApiTokenDirectory> directory, IntrospectedTokens introspected) {
        this.config = config;
        this.directory = directory;
        this.introspected = introspected;
        this.clock = Clock.systemUTC();
    }

    @Override
    public Class<DrepTokenRequest> getRequestType() {
        return DrepTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(DrepTokenRequest request, AuthenticationRequestContext context) {
        String hash = TokenHashes.sha256(request.token());
        for (Map.Entry<String, IdentityConfig.StaticCaller> caller : config.callers().entrySet()) {
            Optional<String> configured = caller.getValue().tokenSha256().map(h -> h.trim().toLowerCase());
            if (configured.isPresent() && TokenHashes.sameHash(configured.get(), hash)) {
                return Uni.createFrom().item(Callers.identity(caller.getKey(), Callers.KIND_SERVICE,
                        caller.getValue().scopes(), Optional.empty()));
            }
        }
        ApiTokenDirectory tokens = directory.isResolvable() ? directory.get() : introspected.configured() ? introspected : null;
        if (tokens == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "the bearer token is not known to this service (it accepts the tokens of the drep services that call it)"));
        }
        return tokens.find(hash).map(grant -> {
            if (grant == null) {
                throw new AuthenticationFailedException("the bearer token is not known: it was never issued, or was issued by "
                        + "another drep installation; create one with 'drep token create'");
            }
            Instant now = clock.instant();
            if (grant.revokedAt().isPresent()) {
                throw new AuthenticationFailedException("the token '" + grant.name() + "' (id " + grant.id() + ") was revoked at "
                        + grant.revokedAt().get());
            }
            if (grant.expiresAt().isPresent() && !grant.expiresAt().get().isAfter(now)) {
                throw new AuthenticationFailedException("the token '" + grant.name() + "' (id " + grant.id() + ") expired at "
                        + grant.expiresAt().get());
            }
            SecurityIdentity identity = Callers.identity(grant.name(), Callers.KIND_API_TOKEN, grant.scopes(), grant.repository());
            return QuarkusSecurityIdentity.builder(identity).addAttribute(Callers.TOKEN_ID, grant.id()).build();
        });
    }

    static QuarkusPrincipal principal(String name) {
        return new QuarkusPrincipal(name);
    }
}
