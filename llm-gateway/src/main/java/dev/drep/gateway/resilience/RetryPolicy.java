package dev.drep.gateway.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How often and how patiently one model is retried before the gateway falls back to the next one.
 *
 * @param maxAttempts    calls per model, the first included (1 means no retry)
 * @param initialBackoff wait before the first retry; doubled for each further one
 * @param maxBackoff     cap of the doubled wait
 * @param maxRetryAfter  longest {@code Retry-After} the gateway waits out itself; a provider asking
 *                       for longer is not retried (the request falls back, or the client is told)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1");
        }
    }

    /**
     * Exponential backoff with "equal jitter": half the doubled wait is fixed, half random, so
     * retries of many requests that failed together spread out without any of them retrying at once.
     *
     * @param failedAttempts attempts made so far (1 after the first call failed)
     * @param random         uniform in [0, 1)
     * @return the wait before the next attempt
     */
    public Duration backoff(int failedAttempts, DoubleSupplier random) {
        long initial = initialBackoff.toNanos();
        long cap = maxBackoff.toNanos();
        int doublings = Math.min(Math.max(0, failedAttempts - 1), 30);
        long base = initial > cap >> doublings ? cap : Math.min(cap, initial << doublings);
        long half = base / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (base - half)));
    }
}
