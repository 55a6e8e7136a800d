package dev.drep.gateway.limits;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits {@link AdmissionScheduler} enforces for all traffic to the providers.
 *
 * @param maxConcurrent              requests admitted at once, over all repositories
 * @param maxConcurrentPerRepository requests admitted at once for one repository
 * @param requestsPerWindow          requests admitted per {@code window}, sliding; 0 for no limit
 * @param tokensPerWindow            estimated (then actual) tokens admitted per {@code window}, sliding; 0 for no limit
 * @param window                     length of the rate window (a minute in production; tests shorten it)
 * @param maxWait                    longest a request may wait for admission before it is refused
 * @param maxQueued                  most requests that may wait at once; more are refused at once
 */
public record AdmissionLimits(int maxConcurrent, int maxConcurrentPerRepository, int requestsPerWindow,
        long tokensPerWindow, Duration window, Duration maxWait, int maxQueued) {

    public AdmissionLimits {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxConcurrent < 1 || maxConcurrentPerRepository < 1) {
            throw new IllegalArgumentException("concurrency limits must be at least 1");
        }
        if (requestsPerWindow < 0 || tokensPerWindow < 0) {
            throw new IllegalArgumentException("rate limits must be 0 (no limit) or positive");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the rate window must be positive");
        }
        if (maxWait.isNegative() || maxQueued < 0) {
            throw new IllegalArgumentException("max wait and max queued must not be negative");
        }
    }
}
