package dev.drep.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Who may call a service, and how this service identifies itself to the others ({@code drep.identity.*}). */
@ConfigMapping(prefix = "drep.identity")
public interface IdentityConfig {

    /**
     * Callers known by a token configured as its SHA-256 (never the token itself): the other drep services that call
     * this one, and the bootstrap admin ({@code drep.identity.callers.admin}). A caller whose hash is empty is off.
     */
    Map<String, StaticCaller> callers();

    /** This service's own token, sent as {@code Authorization: Bearer} on its calls to other drep services. */
    Optional<String> serviceToken();

    /**
     * Scopes granted to roles or groups of OIDC access tokens (the claim {@code quarkus.oidc.roles.role-claim-path}
     * names): {@code drep.identity.role-scopes."reviewers"=reviews:write,jobs:read}. A role equal to a scope's name
     * grants that scope without a line here.
     */
    Map<String, List<String>> roleScopes();

    /** The sign-in page a browser is sent to when a page needs a token (the scanner's dashboard), if any. */
    Optional<String> signInPage();

    /** The cookie that carries a signed-in browser's token, read only on {@link #cookiePaths()}. */
    @WithDefault("drep_session")
    String cookieName();

    /** Path prefixes on which the session cookie is accepted (pages that only read; never the JSON API). */
    @WithDefault("/dashboard")
    List<String> cookiePaths();

    /**
     * Where this service asks about API tokens it does not know itself (the scanner's token introspection). Off unless
     * {@code url} is set: the service then accepts its configured callers only.
     */
    Introspection introspection();

    /** Asking the scanner what an API token grants ({@code POST /internal/tokens/introspect}), with a short cache. */
    interface Introspection {
        /** The scanner's base URL, e.g. {@code http://drep-scanner-service:8081}; unset: API tokens are not accepted here. */
        Optional<URI> url();

        /**
         * How long an answer about an issued token is reused: a token revoked at the scanner is still admitted here for
         * at most this long (expiry is checked on every request against the cached expiry time).
         */
        @WithDefault("30s")
        Duration cacheTime();

        /** How long "no such token" is reused: shorter, so that a mistyped token does not stay refused, longer than none, so that guessing costs the scanner little. */
        @WithDefault("5s")
        Duration unknownCacheTime();

        /** Most answers kept (the least recently used go first). */
        @WithDefault("10000")
        int cacheSize();

        /** How long one introspection call may take before the request is refused with 503. */
        @WithDefault("5s")
        Duration timeout();
    }

    /** A caller configured by the hash of its token. */
    interface StaticCaller {
        /** Lower-case hex SHA-256 of the caller's token ({@code sha256sum}); empty switches the caller off. */
        Optional<String> tokenSha256();

        /** The scopes the caller has. */
        Set<String> scopes();
    }
}
