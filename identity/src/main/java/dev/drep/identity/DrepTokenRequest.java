package dev.drep.identity;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A drep bearer token to check. Its own request type, so that an OIDC identity provider never sees drep's opaque
 * tokens and drep's provider never sees OIDC access tokens.
 */
public final class DrepTokenRequest extends BaseAuthenticationRequest {
    private final String token;

    /** A request to check {@code token}; the scanner's sign-in form checks a token before it keeps it in a cookie. */
    public DrepTokenRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }
}
