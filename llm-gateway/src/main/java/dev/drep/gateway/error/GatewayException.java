package dev.drep.gateway.error;

import java.time.Duration;

/**
 * A failure the gateway answers with a specific HTTP status and an {@link OpenAiError} body, and
 * with {@code Retry-After} when it knows when a retry may succeed. Its message is sent to the
 * client as is, so it must never contain a secret.
 */
public class GatewayException extends RuntimeException {

    /** OpenAI's type for errors caused by the request. */
    public static final String INVALID_REQUEST = "invalid_request_error";
    /** OpenAI's type for errors on the server side (here: the provider behind the gateway). */
    public static final String API_ERROR = "api_error";
    /** OpenAI's type for rate limiting. */
    public static final String RATE_LIMIT = "rate_limit_error";
    /** Type for the provider not answering in time. */
    public static final String TIMEOUT = "timeout_error";
    /** OpenAI's type for a used-up quota (here: a drep budget). */
    public static final String INSUFFICIENT_QUOTA = "insufficient_quota";

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Duration retryAfter;
    private final BudgetDetail budget;

    /**
     * @param status  HTTP status of the answer
     * @param type    OpenAI error type
     * @param param   the request field or header at fault, or {@code null}
     * @param code    machine-readable code
     * @param message human-readable message, free of secrets
     */
    public GatewayException(int status, String type, String param, String code, String message) {
        this(status, type, param, code, message, null, null);
    }

    /**
     * @param status     HTTP status of the answer
     * @param type       OpenAI error type
     * @param param      the request field or header at fault, or {@code null}
     * @param code       machine-readable code
     * @param message    human-readable message, free of secrets
     * @param retryAfter when a retry may succeed, sent as {@code Retry-After}, or {@code null}
     * @param budget     the exhausted budget, or {@code null}
     */
    public GatewayException(int status, String type, String param, String code, String message, Duration retryAfter,
            BudgetDetail budget) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfter = retryAfter;
        this.budget = budget;
    }

    /**
     * A 400 for a request field that is missing or wrong.
     *
     * @param param   the field, e.g. {@code messages[0].role}
     * @param code    machine-readable code
     * @param message what is wrong and what to do
     * @return the exception
     */
    public static GatewayException invalidRequest(String param, String code, String message) {
        return new GatewayException(400, INVALID_REQUEST, param, code, message);
    }

    /**
     * @param wait when a retry may succeed
     * @return this failure with {@code Retry-After}
     */
    public GatewayException withRetryAfter(Duration wait) {
        return new GatewayException(status, type, param, code, getMessage(), wait, budget);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the machine-readable code */
    public String code() {
        return code;
    }

    /** @return when a retry may succeed, or {@code null} */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** @return the error body */
    public OpenAiError toError() {
        return new OpenAiError(new OpenAiError.Detail(getMessage(), type, param, code, budget));
    }
}
