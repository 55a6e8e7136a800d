package dev.drep.gateway.limits;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The limits every gateway replica shares. {@link AdmissionScheduler} still orders its own waiting
 * requests (priority, repositories in turn) and keeps its local limits; with shared limits it
 * admits a request only once the shared state has a slot for it too, and gives the slot back when
 * the permit is released.
 */
public interface SharedLimits {

    /**
     * Takes one slot for a request, if every shared limit has room.
     *
     * @param permit     the permit's id, under which the slot is held
     * @param repository the repository bucket
     * @param tokens     the token estimate charged to the shared token window
     * @return the verdict; fails when the shared state could not be reached
     */
    CompletionStage<Verdict> tryAdmit(UUID permit, String repository, long tokens);

    /**
     * Gives a slot back and corrects the shared token window with the tokens actually used.
     *
     * @param permit       the permit's id
     * @param actualTokens tokens used, or a negative value to keep the estimate
     * @return completion; it never fails (a slot that could not be given back is retried later)
     */
    CompletionStage<Void> release(UUID permit, long actualTokens);

    /**
     * @return whether another replica has requests waiting for a limit this replica shares, as far as this replica
     *         last learnt: a replica with requests of its own waiting then holds back before it claims again
     */
    boolean othersWaiting();

    /** What the shared state answered. */
    enum Outcome {
        /** The slot is held. */
        ADMITTED,
        /** All replicas together have {@code maxConcurrent} requests in flight. */
        GLOBAL_FULL,
        /** All replicas together have the repository's maximum in flight. */
        REPOSITORY_FULL,
        /** The shared request or token window is full. */
        RATE_LIMITED,
        /** This replica holds no live lease yet (or lost it); it renews it and asks again. */
        NO_LEASE
    }

    /**
     * @param outcome    the answer
     * @param retryAfter for {@link Outcome#RATE_LIMITED}, when the window has room again; otherwise zero
     */
    record Verdict(Outcome outcome, Duration retryAfter) {

        /** The verdict of an admitted request. */
        public static final Verdict ADMITTED = new Verdict(Outcome.ADMITTED, Duration.ZERO);

        public Verdict {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }
}
