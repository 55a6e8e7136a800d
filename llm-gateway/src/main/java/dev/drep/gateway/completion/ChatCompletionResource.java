package dev.drep.gateway.completion;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import dev.drep.identity.Callers;
import io.quarkus.security.identity.SecurityIdentity;
import dev.drep.identity.Scopes;
import jakarta.annotation.security.RolesAllowed;
import dev.drep.gateway.GatewayConfig;
import dev.drep.gateway.error.GatewayException;
import dev.drep.gateway.metadata.DrepMetadata;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible and non-streaming, so any OpenAI client
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

    private final ChatCompletionParser parser;
    private final CompletionService service;
    private final int maxRequestBytes;
    private final SecurityIdentity caller;

    /**
     * @param parser  reads and validates the body
     * @param service runs the completion
     * @param config  the gateway configuration ({@code max-request-bytes})
     */
    public ChatCompletionResource(ChatCompletionParser parser, CompletionService service, GatewayConfig config,
            SecurityIdentity caller) {
        this.caller = caller;
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
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createChatCompletion", summary = "OpenAI-compatible chat completion (non-streaming)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", description = "the request is invalid (the answer names the field or header)")
    @APIResponse(responseCode = "402", description = "a budget is exhausted (error.budget names it)")
    @APIResponse(responseCode = "413", description = "the body is larger than the gateway accepts")
    @APIResponse(responseCode = "429", description = "rate limited or not admitted in time (Retry-After)")
    @APIResponse(responseCode = "502", description = "the provider failed or answered badly")
    @APIResponse(responseCode = "503", description = "the provider is unreachable or its circuit breaker is open")
    @APIResponse(responseCode = "504", description = "the provider did not answer in time")
    public Uni<RestResponse<ChatCompletionResponse>> complete(String body,
            @RestHeader(DrepMetadata.REPOSITORY_HEADER) String repository,
            @RestHeader(DrepMetadata.JOB_HEADER) String job,
            @RestHeader(DrepMetadata.PRIORITY_HEADER) String priority,
            @RestHeader(DrepMetadata.TASK_CLASS_HEADER) String taskClass,
            @RestHeader(CACHE_HEADER) String cache) {
        checkSize(body);
        DrepMetadata metadata = DrepMetadata.fromHeaders(accountedTo(repository), job, priority, taskClass);
        boolean bypass = bypass(cache);
        return service.complete(parser.parse(body), metadata, bypass)
                .map(reply -> RestResponse.ResponseBuilder.ok(reply.response(), MediaType.APPLICATION_JSON_TYPE)
                        .header(CACHE_HEADER, reply.cache())
                        .header(QUEUE_WAIT_HEADER, millis(reply.queueWait()))
                        .header(PROVIDER_TIME_HEADER, millis(reply.providerTime()))
                        .header(COST_HEADER, reply.cost() == null ? "0" : reply.cost().toPlainString())
                        .build());
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

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1_000_000.0);
    }
}
