package dev.drep.core.llm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A job's LLM token ceiling, shared by every analyzer replica working on the job: tokens are
 * reserved before a call (the estimate) and settled after it (the usage the answer reported).
 */
public interface TokenCeiling {

    /**
     * @param jobId  the job
     * @param tokens tokens to reserve
     * @return true when reserved, false when the job's ceiling would be exceeded
     */
    CompletionStage<Boolean> reserve(String jobId, long tokens);

    /**
     * Replaces a reservation by what was actually spent.
     *
     * @param jobId    the job
     * @param reserved what {@link #reserve} reserved
     * @param actual   what the calls used
     * @return completes when settled
     */
    CompletionStage<Void> settle(String jobId, long reserved, long actual);

    /** @return the ceiling a job has, for messages */
    long ceiling();

    /** @return a ceiling that never refuses */
    static TokenCeiling unlimited() {
        return new TokenCeiling() {
            @Override
            public CompletionStage<Boolean> reserve(String jobId, long tokens) {
                return CompletableFuture.completedFuture(true);
            }

            @Override
            public CompletionStage<Void> settle(String jobId, long reserved, long actual) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public long ceiling() {
                return Long.MAX_VALUE;
            }
        };
    }
}
