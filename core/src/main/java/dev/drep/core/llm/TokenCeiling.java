package dev.drep.core.llm;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A job's LLM token ceiling, shared by every analyzer replica working on the job: tokens are
 * reserved before a call (the estimate) and settled after it (the usage the answer reported).
 *
 * <p>The service's own ceiling is {@link #ceiling()}; a repository may lower it for its jobs
 * ({@code max-llm-tokens} in {@code .drep.yaml}, carried by the work unit), so every reservation
 * names the ceiling that applies to it. All units of a job carry the same repository ceiling.
 */
public interface TokenCeiling {

    /**
     * @param jobId   the job
     * @param tokens  tokens to reserve
     * @param ceiling the job's ceiling for this reservation: the lower of {@link #ceiling()} and the
     *                repository's; {@link Long#MAX_VALUE} for none
     * @return true when reserved, false when the job's ceiling would be exceeded
     */
    CompletionStage<Boolean> reserve(String jobId, long tokens, long ceiling);

    /**
     * Reserves against the service's own ceiling.
     *
     * @param jobId  the job
     * @param tokens tokens to reserve
     * @return true when reserved, false when the job's ceiling would be exceeded
     */
    default CompletionStage<Boolean> reserve(String jobId, long tokens) {
        return reserve(jobId, tokens, ceiling());
    }

    /**
     * Replaces a reservation by what was actually spent.
     *
     * @param jobId    the job
     * @param reserved what {@link #reserve} reserved
     * @param actual   what the calls used
     * @return completes when settled
     */
    CompletionStage<Void> settle(String jobId, long reserved, long actual);

    /** @return the service's ceiling per job, {@link Long#MAX_VALUE} for none */
    long ceiling();

    /**
     * @return a ceiling of its own that never refuses, kept in this process' memory: it enforces only
     *         the lower ceilings reservations name (a repository's), counting per job (for tests, the
     *         benchmarks and single-process use)
     */
    static TokenCeiling unlimited() {
        return new TokenCeiling() {
            private final Map<String, Long> used = new ConcurrentHashMap<>();

            @Override
            public CompletionStage<Boolean> reserve(String jobId, long tokens, long ceiling) {
                if (ceiling == Long.MAX_VALUE) {
                    return CompletableFuture.completedFuture(true);
                }
                boolean[] granted = {false};
                used.compute(jobId, (job, spent) -> {
                    long before = spent == null ? 0 : spent;
                    granted[0] = before + tokens <= ceiling;
                    return granted[0] ? before + tokens : before;
                });
                return CompletableFuture.completedFuture(granted[0]);
            }

            @Override
            public CompletionStage<Void> settle(String jobId, long reserved, long actual) {
                used.computeIfPresent(jobId, (job, spent) -> Math.max(0, spent + actual - reserved));
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public long ceiling() {
                return Long.MAX_VALUE;
            }
        };
    }
}
