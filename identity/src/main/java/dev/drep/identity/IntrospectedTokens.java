package dev.drep.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.drep.contracts.TokenIntrospection;
import dev.drep.contracts.TokenIntrospectionRequest;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The API tokens of a service that does not keep them (the LLM gateway, the review-publisher): asks the scanner's
 * token introspection ({@code POST /internal/tokens/introspect}, the token's SHA-256 only) with this service's own
 * token, and keeps each answer briefly ({@link IdentityConfig.Introspection#cacheTime()} for issued tokens,
 * {@link IdentityConfig.Introspection#unknownCacheTime()} for unknown ones), so a revocation holds here within the cache
 * time. A scanner that does not answer is a refusal (503), never an admission; failures are not cached.
 *
 * <p>Not an {@link ApiTokenDirectory} bean by type: the scanner's own table stays the only directory bean, and
 * {@link TokenIdentityProvider} uses this one when no directory bean exists and {@link #configured()}.
 */
@ApplicationScoped
@Typed(IntrospectedTokens.class)
public class IntrospectedTokens implements ApiTokenDirectory {
    private static final Logger LOG = Logger.getLogger(IntrospectedTokens.class);
    private final IdentityConfig.Introspection config;
    private final Optional<URI> scanner;
    private final TokenIntrospectionApi api;
    private final Cache<String, TokenIntrospection> answers;
    private final Clock clock = Clock.systemUTC();

    public IntrospectedTokens(IdentityConfig identity, ServiceTokenHeaders serviceToken) {
        this.config = identity.introspection();
        this.scanner = config.url();
        this.api = scanner.map(url -> QuarkusRestClientBuilder.newBuilder().baseUri(url)
                .clientHeadersFactory(serviceToken)
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(TokenIntrospectionApi.class)).orElse(null);
        this.answers = cache(config);
    }

    /** @return whether {@code drep.identity.introspection.url} is set (otherwise this service accepts no API token) */
    public boolean configured() {
        return api != null;
    }

    @Override
    public Uni<TokenGrant> find(String tokenSha256) {
        TokenIntrospection cached = answers.getIfPresent(tokenSha256);
        if (cached != null) {
            return Uni.createFrom().item(() -> grant(cached));
        }
        return api.introspect(new TokenIntrospectionRequest(tokenSha256))
                .ifNoItem().after(config.timeout()).failWith(() -> unavailable("did not answer within " + config.timeout()))
                .onFailure(failure -> !(failure instanceof AuthenticationFailedException)).transform(this::unavailable)
                .invoke(answer -> answers.put(tokenSha256, answer))
                .map(this::grant);
    }

    /** Forgets every cached answer (tests; an operator would restart). */
    public void forgetAll() {
        answers.invalidateAll();
    }

    private TokenGrant grant(TokenIntrospection answer) {
        if (!answer.known()) {
            return null;
        }
        TokenGrant grant = new TokenGrant(answer.id(), answer.name(),
                answer.scopes() == null ? java.util.Set.of() : new LinkedHashSet<>(answer.scopes()),
                Optional.ofNullable(answer.repository()), Optional.ofNullable(answer.expiresAt()),
                Optional.ofNullable(answer.revokedAt()));
        boolean expiredHere = grant.expiresAt().isPresent() && !grant.expiresAt().get().isAfter(clock.instant());
        if (!answer.active() && grant.revokedAt().isEmpty() && !expiredHere) {
            // the scanner's clock is ahead of ours: its word decides
            throw new AuthenticationFailedException("the token '" + grant.name() + "' (id " + grant.id()
                    + ") is no longer active (expired at " + grant.expiresAt().map(Object::toString).orElse("an unknown time") + ")");
        }
        return grant;
    }

    private AuthenticationFailedException unavailable(Throwable failure) {
        if (failure instanceof WebApplicationException refused) {
            int status = refused.getResponse().getStatus();
            if (status == 401 || status == 403) {
                return unavailable("refused this service's own token (HTTP " + status + "): give it a service token with scope '"
                        + Scopes.TOKENS_INTROSPECT + "' (DREP_SERVICE_TOKEN) whose SHA-256 the scanner knows");
            }
            return unavailable("answered HTTP " + status);
        }
        return unavailable("is unreachable (" + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")");
    }

    private AuthenticationFailedException unavailable(String what) {
        String message = "the API token cannot be checked now: the scanner at " + scanner.map(URI::toString).orElse("(not set)")
                + ", which keeps drep's API tokens, " + what + "; the call was refused, try again shortly";
        LOG.warn(message);
        return TokenCheckUnavailableException.refusal(message);
    }

    private static Cache<String, TokenIntrospection> cache(IdentityConfig.Introspection config) {
        long known = config.cacheTime().toNanos();
        long unknown = config.unknownCacheTime().toNanos();
        return Caffeine.newBuilder().maximumSize(config.cacheSize()).expireAfter(new Expiry<String, TokenIntrospection>() {
            @Override
            public long expireAfterCreate(String key, TokenIntrospection answer, long currentTime) {
                return answer.known() ? known : unknown;
            }

            @Override
            public long expireAfterUpdate(String key, TokenIntrospection answer, long currentTime, long currentDuration) {
                return expireAfterCreate(key, answer, currentTime);
            }

            @Override
            public long expireAfterRead(String key, TokenIntrospection answer, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build();
    }
}
