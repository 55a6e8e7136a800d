package dev.drep.scanner.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.drep.identity.TokenGrant;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * An API token as lists show it: never the token, never its hash.
 *
 * @param id         the token's id (to revoke it)
 * @param name       what it is for
 * @param scopes     its scopes
 * @param repository the one repository it is restricted to, or null
 * @param createdAt  when it was created
 * @param createdBy  who created it
 * @param expiresAt  when it expires, or null
 * @param revokedAt  when it was revoked, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(String id, String name, List<String> scopes, String repository, Instant createdAt, String createdBy,
        Instant expiresAt, Instant revokedAt) {

    TokenGrant grant() {
        return new TokenGrant(id, name, new LinkedHashSet<>(scopes), Optional.ofNullable(repository), Optional.ofNullable(expiresAt),
                Optional.ofNullable(revokedAt));
    }
}
