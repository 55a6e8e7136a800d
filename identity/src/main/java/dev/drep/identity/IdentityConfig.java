package dev.drep.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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

    /** A caller configured by the hash of its token. */
    interface StaticCaller {
        /** Lower-case hex SHA-256 of the caller's token ({@code sha256sum}); empty switches the caller off. */
        Optional<String> tokenSha256();

        /** The scopes the caller has. */
        Set<String> scopes();
    }
}
