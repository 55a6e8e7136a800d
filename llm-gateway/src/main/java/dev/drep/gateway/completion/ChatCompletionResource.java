package dev.drep.gateway.completion;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import dev.drep.identity.Callers;
import io.quarkus.security.identity.SecurityIdentity;
import dev.drep.identity.Scopes;
import jakarta.annotation.security.RolesAllowed;
import dev.drep.gateway.GatewayConfig;
import dev.drep.gateway.error.GatewayException;
import dev.drep.gateway.key.Keys;
import dev.drep.gateway.metadata.DrepMetadata;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible (plain and streamed), so any OpenAI client
 * (the analyzer included) can use the gateway by changing its base URL. drep services add
 * {@code X-Drep-*} headers; other clients need not.
 *
 * <p>The body is taken as text for whatever {@code Content-Type} the client sent, and parsed by
 * {@link ChatCompletionParser}: framework binding would answer malformed input in its own shape.
 * The method returns a {@link Uni} and runs on the event loop: a request waiting for admission
 * holds no thread.
 */
@Path("/v1/chat/completions")
@RolesAllowed(Scopes.LLM_USE)
public class ChatCompletionResource {

    /** Request header: {@code bypass} skips the cache lookup (the fresh answer is still stored). */
    public static final String CACHE_HEADER = "X-Drep-Cache";
    /** Response header: time the request waited for admission, in milliseconds. */
    public static final String QUEUE_WAIT_HEADER = "X-Drep-Queue-Wait-Ms";
    /** Response header: time spent in provider calls, in milliseconds. */
    public static final String PROVIDER_TIME_HEADER = "X-Drep-Provider-Ms";
    /** Response header: the request's cost by the configured price table (0 for a cache hit). */
    public static final String COST_HEADER = "X-Drep-Cost";
    private static final MediaType EVENT_STREAM = MediaType.valueOf("text/event-stream; charset=utf-8");

    private final ChatCompletionParser parser;
    private final CompletionService service;
    private final int maxRequestBytes;
    private final SecurityIdentity caller;
    private final ObjectMapper objectMapper;
    private final Keys keys;

    /**
     * @param parser  reads and validates the body
     * @param service runs the completion
     * @param config  the gateway configuration ({@code max-request-bytes})
     * @param caller  who calls
     * @param objectMapper writes the answer
     * @param keys    the caller's key, if it is one
     */
    public ChatCompletionResource(ChatCompletionParser parser, CompletionService service, GatewayConfig config,
            SecurityIdentity caller, ObjectMapper objectMapper, Keys keys) {
        this.keys = keys;
        this.caller = caller;
        this.objectMapper = objectMapper;
        this.parser = parser;
        this.service = service;
        this.maxRequestBytes = config.maxRequestBytes();
    }

    /**
     * @param body       the OpenAI chat-completion request
     * @param repository {@code X-Drep-Repository}
     * @param job        {@code X-Drep-Job}
     * @param priority   {@code X-Drep-Priority}: {@code interactive} or {@code batch} (default)
     * @param taskClass  {@code X-Drep-Task-Class}, e.g. {@code simple} or {@code complex}
     * @param cache      {@code X-Drep-Cache}: {@code bypass} or absent
     * @return the completion in OpenAI's format, with {@code X-Drep-*} timing and cache headers
     */
    @POST
    @Operation(operationId = "createChatCompletion", summary = "OpenAI-compatible chat completion; with "
            + "\"stream\": true, server-sent events of chat.completion.chunk ending in data: [DONE]")
    @APIResponse(responseCode = "200", description = "the completion (application/json), or its chunks "
            + "(text/event-stream) for a streamed request",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ChatCompletionResponse.class)),
                    @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING,
                            description = "events 'data: {chat.completion.chunk}', then 'data: [DONE]'; a stream the "
                                    + "provider breaks off ends with 'data: {\"error\":{...}}' instead"))})
    @APIResponse(responseCode = "400", description = "the request is invalid (the answer names the field or header)")
    @APIResponse(responseCode = "402", description = "a budget is exhausted (error.budget names it)")
    @APIResponse(responseCode = "403", description = "the caller may not use this model alias (a key's policy) "
            + "or lacks the scope")
    @APIResponse(responseCode = "413", description = "the body is larger than the gateway accepts")
    @APIResponse(responseCode = "429", description = "rate limited or not admitted in time (Retry-After)")
    @APIResponse(responseCode = "502", description = "the provider failed or answered badly")
    @APIResponse(responseCode = "503", description = "the provider is unreachable or its circuit breaker is open")
    @APIResponse(responseCode = "504", description = "the provider did not answer in time")
    public Uni<Response> complete(String body,
            @RestHeader(DrepMetadata.REPOSITORY_HEADER) String repository,
            @RestHeader(DrepMetadata.JOB_HEADER) String job,
            @RestHeader(DrepMetadata.PRIORITY_HEADER) String priority,
            @RestHeader(DrepMetadata.TASK_CLASS_HEADER) String taskClass,
            @RestHeader(CACHE_HEADER) String cache) {
        checkSize(body);
        DrepMetadata metadata = DrepMetadata.fromHeaders(accountedTo(repository), job, priority, taskClass);
        boolean bypass = bypass(cache);
        CompletionCommand command = parser.parse(body);
        // One method for both answers (which one is in the body, not in anything JAX-RS matches on): a whole answer
        // is a plain JSON response; a streamed one is an EventStream entity, written frame by frame by
        // EventStreamWriter. Either fails as a normal error answer until its first byte.
        return keys.of(caller).chain(key -> command.stream()
                ? service.stream(command, metadata, bypass, key).map(ChatCompletionResource::streamed)
                : service.complete(command, metadata, bypass, key).map(this::whole));
    }

    private Response whole(CompletionReply reply) {
        byte[] json;
        try {
            json = objectMapper.writeValueAsBytes(reply.response());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a chat completion", e);
        }
        return headers(Response.ok(json, MediaType.APPLICATION_JSON_TYPE), reply.cache(), reply.queueWait(),
                reply.providerTime())
                .header(COST_HEADER, reply.cost() == null ? "0" : reply.cost().toPlainString())
                .build();
    }

    private static Response streamed(StreamReply reply) {
        return headers(Response.ok(new EventStreamWriter.EventStream(reply.frames()), EVENT_STREAM), reply.cache(),
                reply.queueWait(), reply.providerTime())
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                // Tells a buffering reverse proxy (nginx) to pass each event on at once.
                .header("X-Accel-Buffering", "no")
                .build();
    }

    private static Response.ResponseBuilder headers(Response.ResponseBuilder response, String cache,
            Duration queueWait, Duration providerTime) {
        return response.header(CACHE_HEADER, cache)
                .header(QUEUE_WAIT_HEADER, millis(queueWait))
                .header(PROVIDER_TIME_HEADER, millis(providerTime));
    }

    /**
     * Whose budget and fair share a call uses: the repository the analyzer names ({@code X-Drep-Repository}, honoured
     * only from callers with {@link Scopes#LLM_ANY_REPOSITORY}); for every other caller its own identity (the one
     * repository its token is restricted to, else {@code caller:<name>}), whatever header it sends.
     */
    private String accountedTo(String requested) {
        if (caller.hasRole(Scopes.LLM_ANY_REPOSITORY)) {
            return requested;
        }
        return Callers.repository(caller).orElse("caller:" + caller.getPrincipal().getName());
    }

    /** A second guard behind {@link RequestSizeFilter}, for bodies sent without a Content-Length. */
    private void checkSize(String body) {
        if (body == null || (long) body.length() * 3 <= maxRequestBytes) {
            return;
        }
        if (body.length() > maxRequestBytes || body.getBytes(StandardCharsets.UTF_8).length > maxRequestBytes) {
            throw RequestSizeFilter.tooLarge(maxRequestBytes);
        }
    }

    private static boolean bypass(String cache) {
        if (cache == null || cache.isBlank()) {
            return false;
        }
        if ("bypass".equals(cache.trim().toLowerCase(Locale.ROOT))) {
            return true;
        }
        throw GatewayException.invalidRequest(CACHE_HEADER, "invalid_cache_directive",
                "Header " + CACHE_HEADER + " must be 'bypass' (or absent).");
    }

    /** Milliseconds with three decimals ("0.042"), without a format string: three of these go out per answer. */
    static String millis(Duration duration) {
        long micros = Math.round(duration.toNanos() / 1_000.0);
        long fraction = micros % 1_000;
        return micros / 1_000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
