package dev.drep.gateway.key;

/**
 * The answer to {@code POST /api/keys}: the only time the key is shown.
 *
 * @param key     the bearer token ({@code drep_...}); store it now, drep keeps only its hash (at the scanner)
 * @param details the key's policy
 */
public record CreatedKey(String key, KeyView details) {
}
