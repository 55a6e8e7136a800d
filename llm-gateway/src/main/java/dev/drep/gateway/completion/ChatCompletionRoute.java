package dev.drep.gateway.completion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.gateway.GatewayConfig;
import dev.drep.gateway.error.ErrorAnswer;
import dev.drep.gateway.error.GatewayException;
import dev.drep.gateway.key.Keys;
import dev.drep.gateway.metadata.DrepMetadata;
import dev.drep.identity.AccessRefusals;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Flow;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible (plain and streamed), so any OpenAI client (the analyzer
 * included) can use the gateway by changing its base URL. drep services add {@code X-Drep-*} headers; other clients
 * need not.
 *
 * <p>A plain Vert.x route, not a JAX-RS resource: it is the gateway's hot path, and RESTEasy's layers (matching,
 * filters, interceptors, entity writers) cost more CPU per request than the gateway's own work
 * (docs/benchmarks.md, "The hop as a Vert.x route"). Everything else JAX-RS gave it is done here, in one place: the
 * access rule (a bearer token with scope {@code llm:use}, refused in OpenAI's shape as {@link ErrorAnswer} does for
 * every endpoint), the body limit ({@code drep.gateway.max-request-bytes}, checked against {@code Content-Length}
 * before the body is read), errors in OpenAI's shape, and server-sent events written frame by frame. The route's
 * OpenAPI description is {@code META-INF/openapi.yaml}.
 *
 * <p>The body is taken as text whatever {@code Content-Type} the client sent, and parsed by
 * {@link ChatCompletionParser}. Nothing here blocks: a request waiting for admission holds no thread, and a client
 * that goes away cancels its request (its place in the queue, its provider call).
 */
@ApplicationScoped
public class ChatCompletionRoute {

    /** The route's path. */
    public static final String PATH = "/v1/chat/completions";
    /** Request header: {@code bypass} skips the cache lookup (the fresh answer is still stored). */
    public static final String CACHE_HEADER = "X-Drep-Cache";
    /** Response header: time the request waited for admission, in milliseconds. */
    public static final String QUEUE_WAIT_HEADER = "X-Drep-Queue-Wait-Ms";
    /** Response header: time spent in provider calls, in milliseconds. */
    public static final String PROVIDER_TIME_HEADER = "X-Drep-Provider-Ms";
    /** Response header: the request's cost by the configured price table (0 for a cache hit). */
    public static final String COST_HEADER = "X-Drep-Cost";
    private static final Logger LOG = Logger.getLogger(ChatCompletionRoute.class);
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";
    private static final String NEEDED_SCOPE = "'" + Scopes.LLM_USE + "'";

    private final ChatCompletionParser parser;
    private final CompletionService service;
    private final int maxRequestBytes;
    private final ObjectMapper objectMapper;
    private final Keys keys;
    private final IdentityProviderManager identities;

    /**
     * @param parser       reads and validates the body
     * @param service      runs the completion
     * @param config       the gateway configuration ({@code max-request-bytes})
     * @param objectMapper writes the answer
     * @param keys         the caller's key, if it is one
     * @param identities   authenticates a caller when no mechanism has yet
     */
    public ChatCompletionRoute(ChatCompletionParser parser, CompletionService service, GatewayConfig config,
            ObjectMapper objectMapper, Keys keys, IdentityProviderManager identities) {
        this.parser = parser;
        this.service = service;
        this.maxRequestBytes = config.maxRequestBytes();
        this.objectMapper = objectMapper;
        this.keys = keys;
        this.identities = identities;
    }

    void register(@Observes Router router) {
        // The body limit refuses a declared Content-Length above it before reading, and a longer chunked body as it
        // arrives; either way with 413, which the failure handler answers as the gateway's own 400.
        router.post(PATH)
                .handler(BodyHandler.create(false).setBodyLimit(maxRequestBytes))
                .handler(this::complete)
                .failureHandler(this::failed);
        router.route(PATH).handler(context -> answer(context, ErrorAnswer.httpStatus(405, Map.of("Allow", "POST"))));
    }

    private void complete(RoutingContext context) {
        HttpServerRequest request = context.request();
        // a client that leaves gives up its place in the queue and its provider call, or the rest of its stream
        Departure departure = new Departure(context.response());
        Cancellable running = QuarkusHttpUser.getSecurityIdentity(context, identities)
                .chain(caller -> {
                    permit(caller);
                    DrepMetadata metadata = DrepMetadata.fromHeaders(accountedTo(caller,
                            request.getHeader(DrepMetadata.REPOSITORY_HEADER)),
                            request.getHeader(DrepMetadata.JOB_HEADER), request.getHeader(DrepMetadata.PRIORITY_HEADER),
                            request.getHeader(DrepMetadata.TASK_CLASS_HEADER));
                    boolean bypass = bypass(request.getHeader(CACHE_HEADER));
                    CompletionCommand command = parser.parse(text(context.body()));
                    // which answer, whole or streamed, is in the body; either fails as a normal error answer until
                    // its first byte
                    return keys.of(caller).chain(key -> command.stream()
                            ? service.stream(command, metadata, bypass, key).map(reply -> (Object) reply)
                            : service.complete(command, metadata, bypass, key).map(reply -> (Object) reply));
                })
                .subscribe().with(reply -> {
                    if (reply instanceof StreamReply streamed) {
                        stream(context, streamed, departure);
                    } else {
                        whole(context, (CompletionReply) reply);
                    }
                }, failure -> answer(context, refusal(failure)));
        departure.cancels(running::cancel);
    }

    /**
     * The response's one close handler, for the request's whole life. A response keeps only the last handler set,
     * and the request's work and its streamed answer's frames register in either order (the reply may arrive, on
     * another thread, before {@code subscribe()} returns): a handler set by one would replace the other's, and a
     * client leaving mid-stream would then not cancel its provider call until the next frame failed to write. So
     * each registers here what a departure must cancel.
     */
    private static final class Departure {
        private final HttpServerResponse response;
        private final List<Runnable> cancellations = new ArrayList<>(2);
        private boolean left;

        Departure(HttpServerResponse response) {
            this.response = response;
            response.closeHandler(closed -> left());
        }

        /** @param cancellation run when the client leaves, at once if it already has */
        void cancels(Runnable cancellation) {
            synchronized (this) {
                if (!left && !response.closed()) {
                    cancellations.add(cancellation);
                    return;
                }
            }
            cancellation.run();
        }

        private void left() {
            List<Runnable> due;
            synchronized (this) {
                left = true;
                due = List.copyOf(cancellations);
                cancellations.clear();
            }
            due.forEach(Runnable::run);
        }
    }

    private static void permit(SecurityIdentity caller) {
        if (caller.isAnonymous()) {
            throw new UnauthorizedException();
        }
        if (!caller.hasRole(Scopes.LLM_USE)) {
            throw new ForbiddenException(AccessRefusals.forbiddenMessage(NEEDED_SCOPE, caller));
        }
    }

    /** The body limit's 413, and anything a handler of the route threw. */
    private void failed(RoutingContext context) {
        if (context.statusCode() == 413) {
            answer(context, ErrorAnswer.of(tooLarge(maxRequestBytes)));
            return;
        }
        answer(context, refusal(context.failure()));
    }

    private static ErrorAnswer refusal(Throwable failure) {
        if (failure instanceof GatewayException e) {
            return ErrorAnswer.of(e);
        }
        if (failure instanceof UnauthorizedException) {
            return ErrorAnswer.unauthenticated();
        }
        if (failure instanceof AuthenticationFailedException e) {
            return ErrorAnswer.badToken(e);
        }
        if (failure instanceof ForbiddenException e) {
            return ErrorAnswer.forbidden(e.getMessage());
        }
        return ErrorAnswer.unexpected(failure == null ? new IllegalStateException("failed without a cause")
                : failure);
    }

    private void answer(RoutingContext context, ErrorAnswer error) {
        HttpServerResponse response = context.response();
        if (response.headWritten()) {
            // a streamed answer already under way ends its own way (an error event); this is a fault after it
            response.reset();
            return;
        }
        byte[] json;
        try {
            json = objectMapper.writeValueAsBytes(error.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error answer", e);
        }
        response.setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        error.headers().forEach(response::putHeader);
        response.end(Buffer.buffer(json));
    }

    private void whole(RoutingContext context, CompletionReply reply) {
        byte[] json;
        try {
            json = objectMapper.writeValueAsBytes(reply.response());
        } catch (JsonProcessingException e) {
            answer(context, ErrorAnswer.unexpected(new IllegalStateException("cannot write a chat completion", e)));
            return;
        }
        HttpServerResponse response = headers(context.response(), reply.cache(), reply.queueWait(),
                reply.providerTime())
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(COST_HEADER, reply.cost() == null ? "0" : reply.cost().toPlainString());
        response.end(Buffer.buffer(json));
    }

    private static void stream(RoutingContext context, StreamReply reply, Departure departure) {
        HttpServerResponse response = headers(context.response(), reply.cache(), reply.queueWait(),
                reply.providerTime())
                .putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                // tells a buffering reverse proxy (nginx) to pass each event on at once
                .putHeader("X-Accel-Buffering", "no")
                .setChunked(true);
        reply.frames().subscribe().withSubscriber(new FrameWriter(response, departure));
    }

    private static HttpServerResponse headers(HttpServerResponse response, String cache, Duration queueWait,
            Duration providerTime) {
        return response.setStatusCode(200)
                .putHeader(CACHE_HEADER, cache)
                .putHeader(QUEUE_WAIT_HEADER, millis(queueWait))
                .putHeader(PROVIDER_TIME_HEADER, millis(providerTime));
    }

    /**
     * Whose budget and fair share a call uses: the repository the analyzer names ({@code X-Drep-Repository}, honoured
     * only from callers with {@link Scopes#LLM_ANY_REPOSITORY}); for every other caller its own identity (the one
     * repository its token is restricted to, else {@code caller:<name>}), whatever header it sends.
     */
    private static String accountedTo(SecurityIdentity caller, String requested) {
        if (caller.hasRole(Scopes.LLM_ANY_REPOSITORY)) {
            return requested;
        }
        return Callers.repository(caller).orElse("caller:" + caller.getPrincipal().getName());
    }

    private static String text(RequestBody body) {
        return body == null || body.buffer() == null ? null : body.buffer().toString(StandardCharsets.UTF_8);
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

    /**
     * @param limit the limit in bytes
     * @return the 400 for a body over it
     */
    static GatewayException tooLarge(int limit) {
        return GatewayException.invalidRequest(null, "request_too_large", "The request body is larger than the "
                + "gateway accepts (" + limit + " bytes, drep.gateway.max-request-bytes); send less content per "
                + "request.");
    }

    /** Milliseconds with three decimals ("0.042"), without a format string: three of these go out per answer. */
    static String millis(Duration duration) {
        long micros = Math.round(duration.toNanos() / 1_000.0);
        long fraction = micros % 1_000;
        return micros / 1_000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }

    /**
     * Writes a streamed answer to its client one frame at a time, without a thread: the next frame is asked for once
     * the previous one is written, and a client that goes away cancels the frames (and so the provider call, whose
     * slot is freed by {@link StreamRelay}) at once.
     */
    private static final class FrameWriter implements MultiSubscriber<String> {
        private final HttpServerResponse response;
        private final Departure departure;
        private volatile Flow.Subscription subscription;

        FrameWriter(HttpServerResponse response, Departure departure) {
            this.response = response;
            this.departure = departure;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            departure.cancels(s::cancel);
            if (response.closed()) {
                return;
            }
            s.request(1);
        }

        @Override
        public void onItem(String frame) {
            response.write(Buffer.buffer(frame.getBytes(StandardCharsets.UTF_8))).onComplete(written -> {
                if (written.succeeded()) {
                    subscription.request(1);
                } else {
                    // the client is gone: nothing to tell it, and its close cancels the frames
                    LOG.debugf("A streamed answer's client went away: %s", written.cause().toString());
                    subscription.cancel();
                }
            });
        }

        @Override
        public void onFailure(Throwable failure) {
            // the frames turn a provider's failure into an error event; anything else is a fault of the gateway
            LOG.error("A streamed answer failed before its end; its connection is closed", failure);
            if (!response.closed()) {
                response.reset();
            }
        }

        @Override
        public void onCompletion() {
            if (!response.closed() && !response.ended()) {
                response.end();
            }
        }
    }

}
