package dev.drep.gateway.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.core.tracing.TracingPolicy;
import java.net.URI;
import org.jboss.logging.Logger;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends chat completions to an OpenAI-compatible provider as OpenAI's wire format, with Vert.x's non-blocking HTTP
 * client: every request, whole or streamed, with its {@code tools} and tool messages, {@code json_schema},
 * {@code n}, {@code logprobs} as the client sent them. Nothing is reshaped: the provider's {@code choices}
 * come back as it sent them, so a tool call's {@code arguments} string reaches the client even when it is not
 * valid JSON.
 *
 * <p>A streamed request asks the provider for {@code stream_options.include_usage}; its answer is handed on as a
 * {@link ProviderStream} as soon as the provider accepts it (HTTP 200). Rate-limit headers go to
 * {@link ProviderSignals}.
 */
final class OpenAiWireClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(OpenAiWireClient.class);
    private static final TextMapSetter<RequestOptions> TRACE_HEADERS = (options, name, value) -> {
        if (options != null) {
            options.putHeader(name, value);
        }
    };

    private final ProviderEndpoint endpoint;
    /** Whole answers: one pooled client per event loop, see {@link #exchange}. */
    private final ThreadLocal<HttpClient> http;
    private final HttpClient streams;
    private final ProviderSignals signals;
    private final ProviderFailureClassifier failures;
    private final String url;
    private final URI uri;
    private final Vertx vertx;

    /**
     * @param endpoint where the provider is
     * @param vertx    the application's Vert.x
     * @param signals  where rate-limit headers go ({@code null}: nowhere)
     * @param failures classifies calls without an answer and refusals
     */
    OpenAiWireClient(ProviderEndpoint endpoint, Vertx vertx, ProviderSignals signals,
            ProviderFailureClassifier failures) {
        this.endpoint = endpoint;
        this.vertx = vertx;
        this.signals = signals;
        this.failures = failures;
        String base = endpoint.baseUrl();
        this.url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions";
        this.uri = URI.create(url);
        // No span of Vert.x's own per call: the provider call's span (TracedChatClient) is the client span, and the
        // trace is put on the request here (Vert.x's HTTP client span worked out its attributes before the sampler
        // decided, for every call, sampled or not).
        HttpClientOptions pooled = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, endpoint.timeout().toMillis()))
                .setMaxPoolSize(1000)
                .setKeepAlive(true)
                .setTracingPolicy(TracingPolicy.IGNORE);
        // A pool of its own per event loop: Vert.x 4's pool hands out the connection that answered last, whatever
        // event loop it reads on, and its answer then crosses to the caller's event loop (a task queued and a thread
        // woken per call). Each event loop's connections are its own, so a call stays on one thread from the client's
        // request to its answer (eclipse-vertx/vert.x#4123, docs/architecture.md).
        this.http = ThreadLocal.withInitial(() -> vertx.createHttpClient(pooled));
        // A stream has a connection of its own: closing one that nobody reads (whose connection a pool may already
        // have handed to the next request, once the provider finished sending) must end that stream only.
        this.streams = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, endpoint.timeout().toMillis()))
                .setMaxPoolSize(1000)
                .setKeepAlive(false)
                .setTracingPolicy(TracingPolicy.IGNORE));
    }

    /**
     * Runs one call when subscribed to, without blocking: the answer comes when the provider has answered (a stream:
     * when it accepted the request), failed or timed out. Every wait of the call is bounded by the provider timeout:
     * getting a connection (from the pool or a new one), sending, and receiving the whole answer (a stream: its head).
     *
     * @param request the completion
     * @return the answer or why there is none; never fails
     */
    Uni<ProviderResult> chat(ProviderRequest request) {
        return Uni.createFrom().emitter(emitter -> send(request).onComplete(outcome -> {
            if (outcome.succeeded()) {
                emitter.complete(outcome.result());
            } else {
                emitter.fail(outcome.cause());
            }
        }));
    }

    private long timeoutMillis() {
        return Math.max(1, endpoint.timeout().toMillis());
    }

    private Future<ProviderResult> send(ProviderRequest request) {
        long timeout = timeoutMillis();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                // Getting a connection: without this, a request waits for a pooled connection for ever.
                .setConnectTimeout(timeout)
                // No data for this long before the answer's head ends the call (Vert.x stops this timer at the head).
                .setIdleTimeout(timeout)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", request.stream() ? "text/event-stream" : "application/json");
        endpoint.apiKey().ifPresent(key -> options.putHeader("Authorization", "Bearer " + key));
        Buffer body = Buffer.buffer(body(request));
        Promise<ProviderResult> outcome = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        // The whole call (connection, request, whole answer or a stream's head) ends within the provider timeout.
        long deadline = vertx.setTimer(timeout, id -> {
            if (outcome.tryComplete(failures.classify(new TimeoutException("no answer from the LLM provider within "
                    + timeout + " ms"), request.model()))) {
                HttpClientRequest call = sent.get();
                if (call != null) {
                    call.reset(0, new TimeoutException("the provider timeout passed"));
                }
            }
        });
        // The caller's trace (the provider call's span) goes to the provider as its traceparent.
        W3CTraceContextPropagator.getInstance().inject(Context.current(), options, TRACE_HEADERS);
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            exchange(request, options, body, outcome, sent, deadline);
        } else {
            // Started on an event loop: from another thread, the answer's head could be handed over after its body
            // had already passed with no handler to take it, and the call waited for an end that had come and gone.
            vertx.getOrCreateContext().runOnContext(ignored -> exchange(request, options, body, outcome, sent,
                    deadline));
        }
        return outcome.future();
    }

    private void exchange(ProviderRequest request, RequestOptions options, Buffer body,
            Promise<ProviderResult> outcome, AtomicReference<HttpClientRequest> sent, long deadline) {
        long timeout = timeoutMillis();
        (request.stream() ? streams : http.get()).request(options)
                .compose(call -> {
                    sent.set(call);
                    if (outcome.future().isComplete()) {
                        // The connection came after the deadline: the call is over, the connection goes back.
                        call.reset(0, new TimeoutException("the provider timeout passed"));
                        return Future.failedFuture(new TimeoutException("no connection within " + timeout + " ms"));
                    }
                    return call.send(body);
                })
                .compose(response -> {
                    if (signals != null) {
                        signals.onResponse(uri, response.statusCode(), response::getHeader);
                    }
                    if (response.statusCode() != 200) {
                        return response.body().map(text -> (ProviderResult) failures.fromStatus(
                                response.statusCode(), text.toString(), request.model()));
                    }
                    if (request.stream()) {
                        // Paused here, on the event loop, before any event can be lost; resumed by the reader.
                        response.pause();
                        return Future.succeededFuture(streamed(response));
                    }
                    return response.body().map(this::completed);
                })
                .recover(e -> Future.succeededFuture(failures.classify(e, request.model())))
                .onSuccess(result -> {
                    vertx.cancelTimer(deadline);
                    if (!outcome.tryComplete(result) && result instanceof ProviderResult.Completed late
                            && late.stream() != null) {
                        // Accepted just after the deadline: nobody will read it.
                        late.stream().closeUnread();
                    }
                });
    }

    private ProviderResult streamed(HttpClientResponse response) {
        long timeout = timeoutMillis();
        long[] unreadTimer = new long[1];
        // Until a reader takes the stream, a reset (closeUnread) is expected: noted here rather than logged by Vert.x
        // as an unhandled error.
        response.exceptionHandler(e -> LOG.debugf("The unread stream of provider '%s' ended: %s", endpoint.name(),
                e.toString()));
        Multi<String> events = Multi.createFrom().emitter(emitter -> {
            vertx.cancelTimer(unreadTimer[0]);
            AtomicBoolean finished = new AtomicBoolean();
            AtomicLong lastData = new AtomicLong(System.nanoTime());
            SseEvents sse = new SseEvents(emitter::emit);
            RecordParser lines = RecordParser.newDelimited("\n", line -> sse.line(line.toString()));
            response.handler(data -> {
                lastData.set(System.nanoTime());
                lines.handle(data);
            });
            // Vert.x stops a request's idle timeout at the answer's head: a provider that goes quiet mid-stream is
            // ended here, after the provider timeout without data.
            long idle = vertx.setPeriodic(Math.max(1, timeout / 4), id -> {
                if (finished.get()) {
                    vertx.cancelTimer(id);
                } else if (System.nanoTime() - lastData.get() >= TimeUnit.MILLISECONDS.toNanos(timeout)
                        && finished.compareAndSet(false, true)) {
                    vertx.cancelTimer(id);
                    response.request().reset(0, new TimeoutException("the provider sent nothing for " + timeout
                            + " ms"));
                    emitter.fail(new TimeoutException("The LLM provider sent nothing for " + timeout
                            + " ms in the middle of a streamed answer."));
                }
            });
            response.exceptionHandler(e -> {
                // After the reader left or the stream timed out the connection was reset on purpose: not a failure.
                if (finished.compareAndSet(false, true)) {
                    vertx.cancelTimer(idle);
                    emitter.fail(e);
                } else {
                    LOG.debugf("A closed stream of provider '%s' ended: %s", endpoint.name(), e.toString());
                }
            });
            response.endHandler(ignored -> {
                if (finished.compareAndSet(false, true)) {
                    vertx.cancelTimer(idle);
                    sse.end();
                    emitter.complete();
                }
            });
            // A reader that leaves early (the client went away) closes the connection: the provider stops.
            emitter.onTermination(() -> {
                if (finished.compareAndSet(false, true)) {
                    vertx.cancelTimer(idle);
                    response.request().reset();
                }
            });
            response.resume();
        });
        ProviderStream stream = new ProviderStream(events, () -> response.request().reset());
        // A stream handed over that nobody takes (its client left in between) would hold its provider slot, admission
        // permit and budget reservation forever: after the provider timeout it is closed.
        unreadTimer[0] = vertx.setTimer(timeout, id -> {
            if (stream.closeUnread()) {
                LOG.warnf("Closed a streamed answer of provider '%s' that nobody read within %d ms; its slot, "
                        + "admission and budget reservation are returned", endpoint.name(), timeout);
            }
        });
        return new ProviderResult.Completed(null, null, null, null, null, stream);
    }

    private ProviderResult completed(Buffer body) {
        JsonNode root;
        try {
            root = JSON.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            root = null;
        }
        if (root == null || !root.path("choices").isArray() || root.path("choices").isEmpty()) {
            return new ProviderResult.Failed(FailureKind.BAD_RESPONSE,
                    "The LLM provider answered with something that is not an OpenAI chat completion.");
        }
        JsonNode first = root.path("choices").get(0);
        JsonNode content = first.path("message").path("content");
        return new ProviderResult.Completed(root.path("id").isTextual() ? root.get("id").asText() : null,
                content.isTextual() ? content.asText() : null,
                first.path("finish_reason").isTextual() ? first.get("finish_reason").asText() : null,
                usage(root.get("usage")), root.get("choices"), null);
    }

    /**
     * @param usage an OpenAI {@code usage} object, or {@code null}
     * @return its counts, or {@code null} when there are none
     */
    static TokenCounts usage(JsonNode usage) {
        if (usage == null || !usage.isObject() || !usage.path("prompt_tokens").isNumber()) {
            return null;
        }
        int prompt = usage.path("prompt_tokens").asInt();
        int completion = usage.path("completion_tokens").asInt();
        return new TokenCounts(prompt, completion, usage.path("total_tokens").asInt(prompt + completion));
    }

    private static byte[] body(ProviderRequest request) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", request.model());
        ArrayNode messages = root.putArray("messages");
        for (ProviderMessage message : request.messages()) {
            ObjectNode m = messages.addObject();
            m.put("role", message.role().name().toLowerCase(Locale.ROOT));
            if (message.content() == null) {
                m.putNull("content");
            } else {
                m.put("content", message.content());
            }
            if (message.name() != null) {
                m.put("name", message.name());
            }
            if (message.toolCalls() != null) {
                m.set("tool_calls", message.toolCalls());
            }
            if (message.toolCallId() != null) {
                m.put("tool_call_id", message.toolCallId());
            }
        }
        GenerationParameters p = request.parameters();
        putIfSet(root, "temperature", p.temperature());
        putIfSet(root, "top_p", p.topP());
        putIfSet(root, "max_tokens", p.maxTokens());
        putIfSet(root, "max_completion_tokens", p.maxCompletionTokens());
        if (!p.stop().isEmpty()) {
            ArrayNode stop = root.putArray("stop");
            p.stop().forEach(stop::add);
        }
        putIfSet(root, "presence_penalty", p.presencePenalty());
        putIfSet(root, "frequency_penalty", p.frequencyPenalty());
        putIfSet(root, "seed", p.seed());
        if (p.jsonObject()) {
            root.putObject("response_format").put("type", "json_object");
        }
        if (p.user() != null) {
            root.put("user", p.user());
        }
        root.setAll(p.passThrough());
        if (request.stream()) {
            root.put("stream", true);
            // Usage comes in a last chunk only when asked for; the gateway always asks, to charge what was used.
            root.putObject("stream_options").put("include_usage", true);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a chat-completion request", e);
        }
    }

    private static void putIfSet(ObjectNode root, String field, Number value) {
        if (value instanceof Integer i) {
            root.put(field, i);
        } else if (value instanceof Double d) {
            root.put(field, d);
        }
    }
}
