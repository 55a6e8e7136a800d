package dev.drep.gateway.budget;

import java.time.Duration;

/**
 * A key's request or token window (its RPM or TPM) has no room for a request. The request is not queued: the client
 * gets HTTP 429 naming the key and the limit, with {@code Retry-After} for when the oldest part of the window leaves
 * it, as OpenAI answers a key over its rate limit.
 */
public final class KeyRateLimitedException extends RuntimeException {

    /** Which window is full. */
    public enum Kind {
        /** Requests per minute. */
        REQUESTS,
        /** Tokens per minute. */
        TOKENS
    }

    private final BudgetPlan.KeyAllowance key;
    private final Kind kind;
    private final long limit;
    private final long used;
    private final long requested;
    private final Duration window;
    private final Duration retryAfter;

    /**
     * @param key        the key
     * @param kind       requests or tokens
     * @param limit      the key's limit per window
     * @param used       what the window holds
     * @param requested  the request's token estimate
     * @param window     the window's length
     * @param retryAfter when the window has room again
     */
    public KeyRateLimitedException(BudgetPlan.KeyAllowance key, Kind kind, long limit, long used, long requested,
            Duration window, Duration retryAfter) {
        super("key rate limited: " + key.name() + " " + kind, null, false, false);
        this.key = key;
        this.kind = kind;
        this.limit = limit;
        this.used = used;
        this.requested = requested;
        this.window = window;
        this.retryAfter = retryAfter;
    }

    /** @return the key */
    public BudgetPlan.KeyAllowance key() {
        return key;
    }

    /** @return which window is full */
    public Kind kind() {
        return kind;
    }

    /** @return the key's limit per window */
    public long limit() {
        return limit;
    }

    /** @return what the window holds */
    public long used() {
        return used;
    }

    /** @return the request's token estimate */
    public long requested() {
        return requested;
    }

    /** @return the window's length */
    public Duration window() {
        return window;
    }

    /** @return when the window has room again */
    public Duration retryAfter() {
        return retryAfter;
    }
}
