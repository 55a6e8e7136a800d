package dev.drep.gateway.resilience;

import dev.drep.gateway.time.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * One provider's circuit breaker: after {@code failureThreshold} consecutive failures (5xx,
 * timeouts, unreachable, broken answers) it opens and refuses calls for {@code openDuration}; then
 * it lets one trial call through (half-open), which closes it on success and opens it again on
 * failure. Any answer the provider actually gave (2xx, 4xx, 429) counts as success: the provider is
 * up, whatever it thought of the request.
 */
public final class CircuitBreaker {

    /** The breaker's state, as metrics report it. */
    public enum State {
        /** Calls go through. */
        CLOSED(0),
        /** One trial call is allowed to probe the provider. */
        HALF_OPEN(1),
        /** Calls are refused until the open period ends. */
        OPEN(2);

        private final int gaugeValue;

        State(int gaugeValue) {
            this.gaugeValue = gaugeValue;
        }

        /** @return 0 closed, 1 half-open, 2 open */
        public int gaugeValue() {
            return gaugeValue;
        }
    }

    private final int failureThreshold;
    private final long openNanos;
    private final Ticker ticker;

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;
    private long trialStartedAt;
    private boolean trialInFlight;

    /**
     * @param failureThreshold consecutive failures that open the breaker
     * @param openDuration     how long it stays open before a trial call
     * @param ticker           time
     */
    public CircuitBreaker(int failureThreshold, Duration openDuration, Ticker ticker) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("the failure threshold must be at least 1");
        }
        this.failureThreshold = failureThreshold;
        this.openNanos = openDuration.toNanos();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Asks to make one call. A caller that is allowed must report the outcome with
     * {@link #onSuccess()} or {@link #onFailure()}.
     *
     * @return {@code null} when the call may go ahead, else how long until the breaker tries again
     */
    public synchronized Duration tryAcquire() {
        long now = ticker.nanoTime();
        switch (state) {
            case CLOSED:
                return null;
            case OPEN:
                if (now - openedAt < openNanos) {
                    return remaining(now);
                }
                state = State.HALF_OPEN;
                return startTrial(now);
            default:
                // A trial whose outcome never came (its caller vanished) must not wedge the breaker.
                if (trialInFlight && now - trialStartedAt < openNanos) {
                    return Duration.ofSeconds(1);
                }
                return startTrial(now);
        }
    }

    private Duration startTrial(long now) {
        trialInFlight = true;
        trialStartedAt = now;
        return null;
    }

    private Duration remaining(long now) {
        return Duration.ofNanos(Math.max(0, openedAt + openNanos - now));
    }

    /** The provider answered. */
    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        trialInFlight = false;
        state = State.CLOSED;
    }

    /** The provider failed (5xx, timeout, unreachable, broken answer). */
    public synchronized void onFailure() {
        long now = ticker.nanoTime();
        trialInFlight = false;
        if (state == State.HALF_OPEN) {
            open(now);
            return;
        }
        if (state == State.CLOSED && ++consecutiveFailures >= failureThreshold) {
            open(now);
        }
    }

    private void open(long now) {
        state = State.OPEN;
        openedAt = now;
        consecutiveFailures = 0;
    }

    /** @return the current state (an open breaker whose period is over reports half-open) */
    public synchronized State state() {
        if (state == State.OPEN && ticker.nanoTime() - openedAt >= openNanos) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /** @return how long until an open breaker lets a trial through; zero when it is not open */
    public synchronized Duration retryAfter() {
        return state == State.OPEN ? remaining(ticker.nanoTime()) : Duration.ZERO;
    }
}
