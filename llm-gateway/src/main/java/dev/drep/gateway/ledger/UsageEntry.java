package dev.drep.gateway.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * What the completion flow reports about one request, to be written to the ledger.
 *
 * @param createdAt        when the request arrived
 * @param repository       {@code X-Drep-Repository}, or {@code null}
 * @param job              {@code X-Drep-Job}, or {@code null}
 * @param priority         {@code interactive} or {@code batch}
 * @param taskClass        {@code X-Drep-Task-Class}, or {@code null}
 * @param requestedAlias   the alias the client asked for
 * @param alias            the alias that answered, or the first one tried
 * @param provider         that alias's provider, or {@code null}
 * @param model            that alias's provider model, or {@code null}
 * @param promptTokens     prompt tokens charged
 * @param completionTokens completion tokens charged
 * @param costUsd          cost charged
 * @param usageEstimated   whether the tokens are the gateway's estimate
 * @param cacheHit         whether the answer came from the cache
 * @param queueWait        time waiting for admission
 * @param providerTime     time in provider calls
 * @param latency          time from arrival to answer
 * @param attempts         provider calls made
 * @param outcome          {@code ok}, or the error code answered (e.g. {@code budget_exhausted})
 * @param httpStatus       the status answered
 * @param keyId            the key the request was made with (its token's id), or {@code null}
 */
public record UsageEntry(Instant createdAt, String repository, String job, String priority, String taskClass,
        String requestedAlias, String alias, String provider, String model, int promptTokens, int completionTokens,
        BigDecimal costUsd, boolean usageEstimated, boolean cacheHit, Duration queueWait, Duration providerTime,
        Duration latency, int attempts, String outcome, int httpStatus, String keyId) {

    /** @return the ledger row */
    UsageRecord toRecord() {
        UsageRecord record = new UsageRecord();
        record.id = java.util.UUID.randomUUID();
        record.createdAt = createdAt;
        record.repository = repository;
        record.job = job;
        record.priority = priority;
        record.taskClass = taskClass;
        record.requestedAlias = requestedAlias;
        record.alias = alias;
        record.provider = provider;
        record.model = model;
        record.promptTokens = promptTokens;
        record.completionTokens = completionTokens;
        record.totalTokens = promptTokens + completionTokens;
        record.costUsd = costUsd;
        record.usageEstimated = usageEstimated;
        record.cacheHit = cacheHit;
        record.queueWaitMs = millis(queueWait);
        record.providerMs = millis(providerTime);
        record.latencyMs = millis(latency);
        record.attempts = attempts;
        record.outcome = outcome;
        record.httpStatus = httpStatus;
        record.keyId = keyId == null ? null : java.util.UUID.fromString(keyId);
        return record;
    }

    private static double millis(Duration duration) {
        return duration == null ? 0 : duration.toNanos() / 1_000_000.0;
    }
}
