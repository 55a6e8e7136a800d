package dev.drep.identity;

import io.smallrye.mutiny.Uni;

/**
 * Where API tokens are looked up by their hash. The scanner keeps them (table {@code scanner.api_token}); a service
 * without a directory bean accepts only its configured callers.
 */
public interface ApiTokenDirectory {
    /** @return the grant of the token with this SHA-256, or a null item when no token has it */
    Uni<TokenGrant> find(String tokenSha256);
}
