package dev.drep.identity;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What a stored API token grants.
 *
 * @param id         the token's id (shown in lists and used to revoke it; not secret)
 * @param name       what the token is for, as its creator named it
 * @param scopes     its scopes
 * @param repository the one repository ({@code owner/name}) it is restricted to, if any
 * @param expiresAt  when it stops working, if ever
 * @param revokedAt  when it was revoked, if it was
 */
public record TokenGrant(String id, String name, Set<String> scopes, Optional<String> repository, Optional<Instant> expiresAt,
        Optional<Instant> revokedAt) {
}
