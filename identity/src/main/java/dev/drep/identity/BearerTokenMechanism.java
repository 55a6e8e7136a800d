package dev.drep.identity;

import dev.drep.core.identity.TokenHashes;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Takes a drep token from {@code Authorization: Bearer drep_...} (or, on the read-only pages of
 * {@link IdentityConfig#cookiePaths()}, from the sign-in cookie) and has {@link TokenIdentityProvider} check it. Any
 * other bearer token is left to the next mechanism (OIDC, where a service enables it). Tried before OIDC.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {
    static final String BEARER = "bearer ";
    private final IdentityConfig config;

    public BearerTokenMechanism(IdentityConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = token(context);
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new DrepTokenRequest(token), context));
    }

    private String token(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = header.substring(BEARER.length()).trim();
            return TokenHashes.isDrepToken(token) ? token : null;
        }
        if (header == null && onCookiePath(context.normalizedPath())) {
            Cookie cookie = context.request().getCookie(config.cookieName());
            if (cookie != null && TokenHashes.isDrepToken(cookie.getValue())) {
                return cookie.getValue();
            }
        }
        return null;
    }

    private boolean onCookiePath(String path) {
        return path != null && config.cookiePaths().stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"drep\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(DrepTokenRequest.class);
    }

    @Override
    public int getPriority() {
        // before quarkus-oidc's bearer mechanism, which would try to verify a drep token as a JWT
        return DEFAULT_PRIORITY + 1000;
    }
}
