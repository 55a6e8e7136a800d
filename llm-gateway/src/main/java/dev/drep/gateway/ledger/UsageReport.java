package dev.drep.gateway.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /api/usage}.
 *
 * @param totals    sums over every matching request (not only the listed ones)
 * @param records   the most recent matching requests, newest first, at most {@code limit}
 * @param limit     the largest number of records listed
 * @param truncated whether more requests matched than are listed
 * @param groups    with {@code groupBy}: the totals per key or repository, most tokens first; otherwise absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageReport(Totals totals, List<Entry> records, int limit, boolean truncated, List<Group> groups) {

    /**
     * The totals of one value of {@code groupBy}.
     *
     * @param key    the key's id ({@code groupBy=key}; absent for requests made without a key)
     * @param repository the repository ({@code groupBy=repository})
     * @param totals its totals
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(String key, String repository, Totals totals) {
    }

    /**
     * @param requests         matching requests
     * @param promptTokens     their prompt tokens
     * @param completionTokens their completion tokens
     * @param totalTokens      their tokens
     * @param costUsd          their cost in USD
     * @param cacheHits        how many were answered from the cache
     * @param usageEstimated   how many carry estimated usage
     */
    public record Totals(long requests, long promptTokens, long completionTokens, long totalTokens,
            BigDecimal costUsd, long cacheHits, long usageEstimated) {
    }

    /**
     * One request, as the ledger recorded it.
     *
     * @param id               ledger id
     * @param createdAt        arrival
     * @param repository       repository, or {@code null}
     * @param job              job, or {@code null}
     * @param priority         {@code interactive} or {@code batch}
     * @param taskClass        task class, or {@code null}
     * @param requestedAlias   the alias asked for
     * @param alias            the alias that answered (or the first tried)
     * @param provider         its provider
     * @param model            its provider model
     * @param promptTokens     prompt tokens charged
     * @param completionTokens completion tokens charged
     * @param totalTokens      tokens charged
     * @param costUsd          cost charged in USD
     * @param usageEstimated   whether the tokens are the gateway's estimate
     * @param cacheHit         whether it was answered from the cache
     * @param queueWaitMs      time waiting for admission
     * @param providerMs       time in provider calls
     * @param latencyMs        time from arrival to answer
     * @param attempts         provider calls made
     * @param outcome          {@code ok} or the error code answered
     * @param httpStatus       the status answered
     * @param keyId            the key it was made with, or {@code null}
     */
    public record Entry(String id, Instant createdAt, String repository, String job, String priority,
            String taskClass, String requestedAlias, String alias, String provider, String model, int promptTokens,
            int completionTokens, int totalTokens, BigDecimal costUsd, boolean usageEstimated, boolean cacheHit,
            double queueWaitMs, double providerMs, double latencyMs, int attempts, String outcome, int httpStatus,
            String keyId) {

        static Entry of(UsageRecord r) {
            return new Entry(r.id.toString(), r.createdAt, r.repository, r.job, r.priority, r.taskClass,
                    r.requestedAlias, r.alias, r.provider, r.model, r.promptTokens, r.completionTokens, r.totalTokens,
                    r.costUsd, r.usageEstimated, r.cacheHit, r.queueWaitMs, r.providerMs, r.latencyMs, r.attempts,
                    r.outcome, r.httpStatus, r.keyId == null ? null : r.keyId.toString());
        }
    }
}
