package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The scanner's answer to {@code POST /internal/tokens/introspect}: what an API token grants (RFC 7662's
 * {@code active}, adapted to drep's grants). A token no one issued is {@code {"active": false}} and nothing else; a
 * token that was issued says who it is even when it no longer works, so that the refusal can name it and why.
 *
 * @param active     whether the token works now: issued, not revoked, not expired (at the scanner's clock)
 * @param id         the token's id, when it was issued (not secret: lists show it)
 * @param name       what the token is for, as its creator named it
 * @param scopes     its scopes
 * @param repository the one repository ({@code owner/name}) it is restricted to, or null
 * @param expiresAt  when it stops working, or null for never
 * @param revokedAt  when it was revoked, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenIntrospection(boolean active, String id, String name, List<String> scopes, String repository,
        Instant expiresAt, Instant revokedAt) {

    /** The answer about a token no one issued. */
    public static final TokenIntrospection UNKNOWN = new TokenIntrospection(false, null, null, null, null, null, null);

    /** @return whether the token was issued by this installation (even if it no longer works) */
    @JsonIgnore
    public boolean known() {
        return id != null;
    }
}
