package dev.drep.gateway.resilience;

import dev.drep.gateway.time.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Concurrency towards one provider, adapted AIMD-style to what the provider accepts: every 429
 * halves the limit (once per round of calls: a burst of 429s from calls that were already in
 * flight halves it once), every successful call raises it by {@code 1/limit}, so it climbs back by
 * about one per round of calls, up to the configured maximum. The provider can also ask for a pause
 * ({@code Retry-After}, an exhausted rate-limit header): no call starts before the pause ends.
 *
 * <p>Waiting is non-blocking and first come, first served (requests reach it already ordered by
 * the admission scheduler). Futures complete outside the lock on the thread that freed capacity.
 */
public final class AdaptiveConcurrencyLimiter {

    /** What a finished call tells the limiter. */
    public enum Signal {
        /** The provider answered: raise the limit a little. */
        SUCCESS,
        /** The provider said 429: halve the limit. */
        RATE_LIMITED,
        /** Anything else: leave the limit alone. */
        IGNORE
    }

    private final int maxLimit;
    private final Ticker ticker;
    private final ArrayDeque<CompletableFuture<Slot>> waiting = new ArrayDeque<>();

    private double limit;
    private int inFlight;
    private long generation;
    private long pausedUntil = Long.MIN_VALUE;
    private Ticker.Cancellable wake;

    /**
     * @param maxLimit the most calls at once, and the starting limit
     * @param ticker   time and timers
     */
    public AdaptiveConcurrencyLimiter(int maxLimit, Ticker ticker) {
        if (maxLimit < 1) {
            throw new IllegalArgumentException("the concurrency limit must be at least 1");
        }
        this.maxLimit = maxLimit;
        this.limit = maxLimit;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /** @return a future of a slot; complete it by releasing the slot with the call's outcome */
    public CompletableFuture<Slot> acquire() {
        CompletableFuture<Slot> future = new CompletableFuture<>();
        List<Runnable> completions = new ArrayList<>(1);
        synchronized (this) {
            waiting.addLast(future);
            dispatch(completions);
        }
        completions.forEach(Runnable::run);
        future.whenComplete((slot, failure) -> {
            if (future.isCancelled()) {
                synchronized (this) {
                    waiting.remove(future);
                }
            }
        });
        return future;
    }

    /**
     * Starts no call before {@code pause} has passed (a longer pause already in force stays).
     *
     * @param pause how long the provider asked the gateway to wait
     */
    public void pauseFor(Duration pause) {
        synchronized (this) {
            long until = ticker.nanoTime() + pause.toNanos();
            if (until > pausedUntil) {
                pausedUntil = until;
            }
        }
    }

    /** @return the current limit, rounded down, at least one */
    public synchronized int limit() {
        return Math.max(1, (int) limit);
    }

    /** @return calls in flight */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** @return calls waiting for a slot */
    public synchronized int waiting() {
        return waiting.size();
    }

    /** @return how long the current pause still lasts; zero when there is none */
    public synchronized Duration pauseRemaining() {
        long now = ticker.nanoTime();
        return now >= pausedUntil ? Duration.ZERO : Duration.ofNanos(pausedUntil - now);
    }

    private void dispatch(List<Runnable> completions) {
        long now = ticker.nanoTime();
        if (now < pausedUntil) {
            if (wake == null && !waiting.isEmpty()) {
                wake = ticker.schedule(pausedUntil - now, this::onWake);
            }
            return;
        }
        while (!waiting.isEmpty() && inFlight < limit()) {
            CompletableFuture<Slot> next = waiting.pollFirst();
            inFlight++;
            Slot slot = new Slot(generation);
            completions.add(() -> {
                if (!next.complete(slot)) {
                    slot.release(Signal.IGNORE);
                }
            });
        }
    }

    private void onWake() {
        List<Runnable> completions = new ArrayList<>();
        synchronized (this) {
            wake = null;
            dispatch(completions);
        }
        completions.forEach(Runnable::run);
    }

    /** The right to make one call to the provider; release it exactly once. */
    public final class Slot {

        private final long startedInGeneration;
        private boolean released;

        private Slot(long startedInGeneration) {
            this.startedInGeneration = startedInGeneration;
        }

        /**
         * @param signal what the call's outcome says about the provider's capacity
         */
        public void release(Signal signal) {
            List<Runnable> completions = new ArrayList<>(1);
            synchronized (AdaptiveConcurrencyLimiter.this) {
                if (released) {
                    return;
                }
                released = true;
                inFlight--;
                if (signal == Signal.RATE_LIMITED) {
                    // Only calls started since the last decrease may decrease again: the others
                    // were sent under the old limit and say nothing about the new one.
                    if (startedInGeneration == generation) {
                        limit = Math.max(1, Math.floor(limit / 2));
                        generation++;
                    }
                } else if (signal == Signal.SUCCESS) {
                    limit = Math.min(maxLimit, limit + 1 / limit);
                }
                dispatch(completions);
            }
            completions.forEach(Runnable::run);
        }
    }
}
