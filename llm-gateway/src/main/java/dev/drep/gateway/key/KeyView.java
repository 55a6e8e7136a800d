package dev.drep.gateway.key;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A key as {@code GET /api/keys} lists it: its policy and what it has spent in the current periods, never its token.
 *
 * @param id                the key's id (its token's id at the scanner; the ledger's {@code keyId})
 * @param name              what it is for
 * @param repository        the repository it is restricted to, or absent
 * @param models            the aliases it may use, or absent for every alias
 * @param tokensPerDay      its token budget per UTC day, or absent
 * @param tokensPerMonth    its token budget per UTC month, or absent
 * @param costPerDay        its cost budget per UTC day (USD), or absent
 * @param costPerMonth      its cost budget per UTC month (USD), or absent
 * @param requestsPerMinute its request limit per minute, or absent
 * @param tokensPerMinute   its token limit per minute, or absent
 * @param expiresAt         when its token expires, or absent
 * @param createdAt         when it was created
 * @param createdBy         who created it
 * @param revokedAt         when it was deleted, or absent
 * @param spent             what it has spent (reservations of calls in flight included)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyView(String id, String name, String repository, List<String> models, Long tokensPerDay,
        Long tokensPerMonth, BigDecimal costPerDay, BigDecimal costPerMonth, Integer requestsPerMinute,
        Long tokensPerMinute, Instant expiresAt, Instant createdAt, String createdBy, Instant revokedAt, Spent spent) {

    /**
     * @param today     this UTC day
     * @param thisMonth this UTC month
     */
    public record Spent(Amount today, Amount thisMonth) {
    }

    /**
     * @param tokens  tokens
     * @param costUsd cost in USD
     */
    public record Amount(long tokens, BigDecimal costUsd) {

        /** Nothing spent. */
        public static final Amount NONE = new Amount(0, BigDecimal.ZERO);
    }

    static KeyView of(KeyPolicy p, Spent spent) {
        return new KeyView(p.id(), p.name(), p.repository(), p.models(), p.tokensPerDay(), p.tokensPerMonth(),
                p.costPerDay(), p.costPerMonth(), p.requestsPerMinute(), p.tokensPerMinute(), p.expiresAt(),
                p.createdAt(), p.createdBy(), p.revokedAt(), spent);
    }
}
