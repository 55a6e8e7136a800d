package dev.drep.publisher.platform;

import java.time.Instant;

/**
 * A platform request that did not succeed, classified so that the caller can decide: retry later,
 * record a rejected comment, or give up. Messages never contain a token (see {@link PlatformHttp}).
 */
public class PlatformException extends RuntimeException {

    /** What went wrong, as far as the caller's decision goes. */
    public enum Kind {
        /** the platform refused this one request (400 / 422): e.g. a line that is not in the diff */
        REJECTED,
        /** the resource is gone (404 / 410): e.g. a summary comment someone deleted */
        NOT_FOUND,
        /** rate limited for longer than drep waits in place; retry after {@link #retryAt()} */
        RATE_LIMITED,
        /** 5xx, timeout or connection failure: retry with backoff */
        UNAVAILABLE,
        /** permanent: authentication, permission, configuration */
        FAILED
    }

    private final Kind kind;
    private final int status;
    private final Instant retryAt;
    private final String detail;

    public PlatformException(Kind kind, int status, String message, Instant retryAt, String detail) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.retryAt = retryAt;
        this.detail = detail;
    }

    public PlatformException(Kind kind, int status, String message, Instant retryAt) {
        this(kind, status, message, retryAt, null);
    }

    public PlatformException(Kind kind, int status, String message) {
        this(kind, status, message, null, null);
    }

    /** A permanent failure that is not an HTTP answer (e.g. no token configured). */
    public static PlatformException failed(String message) {
        return new PlatformException(Kind.FAILED, 0, message);
    }

    /** @return the classification */
    public Kind kind() {
        return kind;
    }

    /** @return the HTTP status, 0 when there was no answer */
    public int status() {
        return status;
    }

    /** @return for {@link Kind#RATE_LIMITED}: when the limit resets; else null */
    public Instant retryAt() {
        return retryAt;
    }

    /**
     * @return for people reading a review: the status and the platform's own explanation (e.g.
     *         {@code HTTP 422: ... line must be part of the diff}), else the whole message
     */
    public String reason() {
        if (detail == null || detail.isEmpty()) {
            return getMessage();
        }
        return "HTTP " + status + ": " + detail;
    }
}
