package dev.drep.gateway.limits;

import java.time.Duration;

/**
 * A request was not admitted: waiting for it would have taken longer than allowed. Callers answer
 * it with HTTP 429 and {@code Retry-After}; it is never dropped silently.
 */
public final class AdmissionRejectedException extends RuntimeException {

    /** Why the request was refused. */
    public enum Reason {
        /** The queue already held the configured maximum of waiting requests. */
        QUEUE_FULL,
        /** The rate window alone guaranteed a wait beyond the maximum, so it was refused at once. */
        WAIT_TOO_LONG,
        /** It waited the maximum time without being admitted. */
        WAIT_EXPIRED
    }

    private final Reason reason;
    private final Duration retryAfter;
    private final Duration waited;

    /**
     * @param reason     why
     * @param retryAfter when a retry has a fair chance, at least one second
     * @param waited     how long the request waited before it was refused
     */
    public AdmissionRejectedException(Reason reason, Duration retryAfter, Duration waited) {
        super("request not admitted: " + reason, null, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
        this.waited = waited;
    }

    /** @return why the request was refused */
    public Reason reason() {
        return reason;
    }

    /** @return the suggested {@code Retry-After} */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** @return how long the request waited */
    public Duration waited() {
        return waited;
    }
}
