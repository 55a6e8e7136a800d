package dev.drep.testsupport.llm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A scripted misbehaviour of the fake provider for one chat-completion request. Build them with
 * the static factories and hand them to {@link FakeLlmServer#failNext(FakeLlmFault...)} or
 * {@link FakeLlmServer#failAlways(FakeLlmFault)}.
 */
public sealed interface FakeLlmFault {

    /**
     * Answer with this status, content type, body and extra headers instead of a completion.
     *
     * @param status      HTTP status
     * @param contentType value of {@code Content-Type}
     * @param body        response body
     * @param headers     extra response headers
     */
    record Status(int status, String contentType, String body, Map<String, String> headers) implements FakeLlmFault {
        public Status {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
            headers = Map.copyOf(headers);
        }
    }

    /**
     * Hold the request without answering for {@code duration} (or until the server closes, when
     * {@code null}), then drop the connection; a client with a shorter timeout sees a timeout.
     *
     * @param duration how long to hold the request; {@code null} holds it until the server closes
     */
    record Hang(Duration duration) implements FakeLlmFault {
    }

    /** Close the connection without sending any response. */
    record Disconnect() implements FakeLlmFault {
    }

    /**
     * For a streaming request: send the first {@code chunks} chunks of the answer, then drop the connection without
     * {@code data: [DONE]} (a provider that dies mid-answer). A non-streaming request is answered normally.
     *
     * @param chunks chunks sent before the connection is dropped
     */
    record DieMidStream(int chunks) implements FakeLlmFault {
    }

    /**
     * For a streaming request: answer 200 {@code text/event-stream} whose events are not JSON chunks
     * ({@code data: {"choices": [} cut short), then {@code data: [DONE]}. A non-streaming request is answered normally.
     */
    record MalformedStream() implements FakeLlmFault {
    }

    /** Answer normally but leave out the {@code usage} object, as some OpenAI-compatible servers do. */
    record MissingUsage() implements FakeLlmFault {
    }

    /**
     * HTTP 429 in OpenAI's error shape with a {@code Retry-After} header.
     *
     * @param retryAfter value of {@code Retry-After}, rounded up to whole seconds
     * @return the fault
     */
    static FakeLlmFault rateLimited(Duration retryAfter) {
        long seconds = (retryAfter.toMillis() + 999) / 1000;
        return new Status(429, "application/json",
                errorJson("Rate limit reached for requests", "requests", "rate_limit_exceeded"),
                Map.of("Retry-After", Long.toString(seconds)));
    }

    /** @return HTTP 500 in OpenAI's error shape */
    static FakeLlmFault serverError() {
        return status(500);
    }

    /**
     * An error status in OpenAI's error shape.
     *
     * @param status HTTP status, e.g. 401, 500, 503
     * @return the fault
     */
    static FakeLlmFault status(int status) {
        return new Status(status, "application/json",
                errorJson("The fake provider was told to fail with HTTP " + status, "server_error", null), Map.of());
    }

    /** @return HTTP 200 whose body is an HTML page, not JSON (a misconfigured proxy in front of a provider) */
    static FakeLlmFault nonJson() {
        return new Status(200, "text/html; charset=utf-8",
                "<html><body><h1>502 Bad Gateway</h1>upstream sent no JSON</body></html>", Map.of());
    }

    /**
     * @param duration how long to hold the request before dropping the connection
     * @return a fault that makes the request time out on any client with a shorter timeout
     */
    static FakeLlmFault hang(Duration duration) {
        return new Hang(Objects.requireNonNull(duration, "duration"));
    }

    /** @return a fault that holds the request until the server is closed */
    static FakeLlmFault hangUntilClosed() {
        return new Hang(null);
    }

    /** @return a fault that closes the connection without any response */
    static FakeLlmFault disconnect() {
        return new Disconnect();
    }

    /**
     * @param chunks chunks of a streamed answer sent before the connection is dropped
     * @return a fault that kills a stream mid-answer
     */
    static FakeLlmFault dieMidStream(int chunks) {
        return new DieMidStream(chunks);
    }

    /** @return a fault that streams events that are not JSON chunks */
    static FakeLlmFault malformedStream() {
        return new MalformedStream();
    }

    /** @return a fault that answers normally but without the {@code usage} object */
    static FakeLlmFault missingUsage() {
        return new MissingUsage();
    }

    private static String errorJson(String message, String type, String code) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.put("code", code);
        return root.toString();
    }
}
