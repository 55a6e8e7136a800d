package dev.drep.gateway.error;

import dev.drep.identity.AccessRefusals;
import dev.drep.identity.TokenCheckUnavailableException;
import io.quarkus.security.AuthenticationFailedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One refusal or failure as the gateway answers it, whichever way the request came in (a JAX-RS resource through
 * {@link ErrorMappers}, or the chat-completion route): its status, its body in OpenAI's shape and its headers
 * ({@code WWW-Authenticate}, {@code Retry-After}).
 *
 * @param status  the HTTP status
 * @param body    the error, in OpenAI's shape
 * @param headers extra response headers
 */
public record ErrorAnswer(int status, OpenAiError body, Map<String, String> headers) {

    private static final Logger LOG = Logger.getLogger(ErrorAnswer.class);

    /** @return 401 for a call without a token ({@code authentication_error}, like OpenAI's answer to a missing key) */
    public static ErrorAnswer unauthenticated() {
        return unauthorized(AccessRefusals.NEEDS_TOKEN, "missing_api_key");
    }

    /**
     * @param e a token that is unknown, expired or revoked, or an API token that cannot be checked now
     * @return 401; 503 ({@code token_check_unavailable}) when the scanner did not answer the check
     */
    public static ErrorAnswer badToken(AuthenticationFailedException e) {
        if (TokenCheckUnavailableException.isCause(e)) {
            return new ErrorAnswer(503, OpenAiError.of(AccessRefusals.badTokenMessage(e), GatewayException.API_ERROR,
                    null, "token_check_unavailable"), Map.of("Retry-After", AccessRefusals.RETRY_CHECK_AFTER_SECONDS));
        }
        return unauthorized(AccessRefusals.badTokenMessage(e), "invalid_api_key");
    }

    /**
     * @param message what the call needs and what the caller has ({@link AccessRefusals#forbiddenMessage})
     * @return 403 ({@code permission_error})
     */
    public static ErrorAnswer forbidden(String message) {
        return new ErrorAnswer(403, OpenAiError.of(message, "permission_error", null, "insufficient_scope"), Map.of());
    }

    /**
     * @param e a failure with a known status and message
     * @return its answer, with {@code Retry-After} when the failure knows the wait
     */
    public static ErrorAnswer of(GatewayException e) {
        return new ErrorAnswer(e.status(), e.toError(), e.retryAfter() == null ? Map.of()
                : Map.of("Retry-After", Long.toString(retryAfterSeconds(e.retryAfter()))));
    }

    /**
     * A request the HTTP layer refuses before the gateway's own work (wrong method, unacceptable media type, no
     * such resource), answered as OpenAI answers one: {@code "HTTP 405 Method Not Allowed"}, code {@code http_405}.
     *
     * @param status  the HTTP status
     * @param headers what the status needs beside it, e.g. {@code Allow} for a 405 when the methods are known
     * @return the answer; type {@code invalid_request_error} below 500, {@code api_error} from 500
     */
    public static ErrorAnswer httpStatus(int status, Map<String, String> headers) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String reason = known == null ? "HTTP " + status : "HTTP " + status + " " + known.getReasonPhrase();
        String type = status < 500 ? GatewayException.INVALID_REQUEST : GatewayException.API_ERROR;
        return new ErrorAnswer(status, OpenAiError.of(reason, type, null, "http_" + status), Map.copyOf(headers));
    }

    /**
     * @param wait a wait
     * @return whole seconds, rounded up, at least 1 ({@code Retry-After} has no fractions, and 0 would invite an
     *         immediate retry)
     */
    public static long retryAfterSeconds(Duration wait) {
        long millis = Math.max(0, wait.toMillis());
        return Math.max(1, (millis + 999) / 1000);
    }

    /**
     * Anything unexpected: a bug in the gateway. The details go to the log only.
     *
     * @param e the failure
     * @return 500 without details
     */
    public static ErrorAnswer unexpected(Throwable e) {
        LOG.error("Unexpected failure while serving a request", e);
        return new ErrorAnswer(500, OpenAiError.of("The gateway failed unexpectedly; see its log.",
                GatewayException.API_ERROR, null, "internal_error"), Map.of());
    }

    private static ErrorAnswer unauthorized(String message, String code) {
        return new ErrorAnswer(401, OpenAiError.of(message, "authentication_error", null, code),
                Map.of("WWW-Authenticate", "Bearer realm=\"drep\""));
    }

    /** @return the same answer as a JAX-RS response */
    public Response toResponse() {
        Response.ResponseBuilder answer = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
        headers.forEach(answer::header);
        return answer.build();
    }
}
