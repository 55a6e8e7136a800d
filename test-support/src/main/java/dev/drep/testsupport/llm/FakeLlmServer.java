package dev.drep.testsupport.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 (a free port) that behaves like an OpenAI-compatible LLM
 * provider, for tests and benchmarks.
 *
 * <p>It implements {@code POST /v1/chat/completions} (answer
 * {@code {id, object: "chat.completion", created, model, choices[{index, message{role, content},
 * finish_reason}], usage{prompt_tokens, completion_tokens, total_tokens}}}) and
 * {@code GET /v1/models}, as OpenAI documents them. A request with {@code "stream": true} is answered as
 * OpenAI streams: {@code text/event-stream}, one {@code data: <chat.completion.chunk>} event per piece of the
 * answer (the first delta carries the role, the last one {@code finish_reason}), then, only when the request
 * asked for {@code stream_options.include_usage}, a chunk with empty {@code choices} and the {@code usage}, and
 * finally {@code data: [DONE]}. A scripted {@linkplain #answerToolCall(String, String) tool call} is answered
 * as OpenAI does ({@code message.tool_calls}, {@code finish_reason: tool_calls}; streamed as
 * {@code delta.tool_calls} with the arguments in two pieces). Everything is scriptable per test:
 * {@linkplain #answer(Function) answer content}, {@linkplain #latency(Duration) latency},
 * {@linkplain #usage(BiFunction) usage}, {@linkplain #failNext(FakeLlmFault...) faults}
 * and the {@linkplain #models(String...) model list}; {@link #reset()} restores the defaults.
 *
 * <p>It records every request and the largest number of requests it held at once
 * ({@link #maxInFlight()}), which is how tests observe a client's concurrency limit. All
 * methods are thread-safe. Each request runs on its own thread, so concurrency is limited only by
 * the client.
 */
public final class FakeLlmServer implements AutoCloseable {

    /** Path of the chat-completions endpoint. */
    public static final String CHAT_COMPLETIONS_PATH = "/v1/chat/completions";
    /** Path of the model-list endpoint. */
    public static final String MODELS_PATH = "/v1/models";
    /** The model the fake lists when no other was configured. */
    public static final String DEFAULT_MODEL = "fake-model";

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK's HttpServer writes an answer's headers and body separately; without TCP_NODELAY,
        // Nagle's algorithm holds the body back until the client's delayed ACK (40 ms on Linux),
        // which would add 40 ms to every answer and swamp any latency a test or benchmark measures.
        // The server reads the property once, when the first HttpServer of the JVM is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closing = new CountDownLatch(1);
    /**
     * Opened by the next {@link #reset()} (or {@link #close()}): every wait of a request that arrived before it
     * (latency, hang, the pause between two chunks) ends, and the request's connection is dropped, so no request of
     * an earlier test is still held, or answered with the next test's script.
     */
    private volatile CountDownLatch generation = new CountDownLatch(1);

    private final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    private final Queue<FakeLlmFault> nextFaults = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong completionIds = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightByGroup = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlightByGroup = new ConcurrentHashMap<>();
    /**
     * Requests being handled, by exchange. Not {@code HttpExchange} attributes: before JDK 18 those
     * live in the shared {@code HttpContext}, so concurrent exchanges would see each other's.
     */
    private final Map<HttpExchange, Visit> visits = new ConcurrentHashMap<>();

    private volatile Function<RecordedRequest, String> answer;
    private volatile BiFunction<RecordedRequest, String, FakeUsage> usage;
    private volatile Function<RecordedRequest, Duration> latency;
    private volatile FakeLlmFault persistentFault;
    private volatile String finishReason;
    private volatile List<String> models;
    private volatile String expectedApiKey;
    private volatile Function<RecordedRequest, String> group;
    private volatile String[] toolCall;
    private volatile Duration streamChunkDelay;
    private final AtomicInteger streamsAbandoned = new AtomicInteger();

    private FakeLlmServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the fake LLM server on loopback", e);
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-llm-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        reset();
    }

    /** @return a started server on a free loopback port, with default behaviour */
    public static FakeLlmServer start() {
        FakeLlmServer fake = new FakeLlmServer();
        fake.server.start();
        return fake;
    }

    /** @return the port the server listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return the OpenAI base URL clients are configured with, e.g. {@code http://127.0.0.1:41234/v1} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    // ---------------------------------------------------------------- scripting

    /**
     * Scripts the answer content. The default echoes the last user message as
     * {@code "echo: <message>"}.
     *
     * @param answer computes the content from the request; called once per successful request
     * @return this server
     */
    public FakeLlmServer answer(Function<RecordedRequest, String> answer) {
        this.answer = Objects.requireNonNull(answer, "answer");
        return this;
    }

    /**
     * Answers every request with the same content.
     *
     * @param content the answer content
     * @return this server
     */
    public FakeLlmServer answer(String content) {
        Objects.requireNonNull(content, "content");
        return answer(request -> content);
    }

    /**
     * Scripts the reported usage. The default is {@link FakeUsage#estimate}.
     *
     * @param usage computes the usage from the request and the answer content; returning
     *              {@code null} leaves the {@code usage} object out of the answer
     * @return this server
     */
    public FakeLlmServer usage(BiFunction<RecordedRequest, String, FakeUsage> usage) {
        this.usage = Objects.requireNonNull(usage, "usage");
        return this;
    }

    /**
     * Reports the same usage for every answer.
     *
     * @param promptTokens     {@code prompt_tokens}
     * @param completionTokens {@code completion_tokens}
     * @return this server
     */
    public FakeLlmServer usage(int promptTokens, int completionTokens) {
        FakeUsage fixed = new FakeUsage(promptTokens, completionTokens);
        return usage((request, content) -> fixed);
    }

    /**
     * Delays every chat-completion answer (and every fault) by a fixed time. The default is none.
     *
     * @param latency time between receiving a request and answering it
     * @return this server
     */
    public FakeLlmServer latency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        return latency(request -> latency);
    }

    /**
     * Delays chat-completion answers by a time computed from each request (e.g. proportional to
     * the prompt, or random for benchmarks).
     *
     * @param latency computes the delay
     * @return this server
     */
    public FakeLlmServer latency(Function<RecordedRequest, Duration> latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
        return this;
    }

    /**
     * Sets the {@code finish_reason} of successful answers. The default is {@code stop}.
     *
     * @param finishReason e.g. {@code stop}, {@code length}, {@code content_filter}
     * @return this server
     */
    public FakeLlmServer finishReason(String finishReason) {
        this.finishReason = Objects.requireNonNull(finishReason, "finishReason");
        return this;
    }

    /**
     * Answers every request with one tool call instead of text ({@code content: null},
     * {@code finish_reason: tool_calls}), until {@link #reset()}.
     *
     * @param name      the function's name
     * @param arguments its arguments exactly as sent (OpenAI sends a string, normally JSON; it may be any text)
     * @return this server
     */
    public FakeLlmServer answerToolCall(String name, String arguments) {
        this.toolCall = new String[] {Objects.requireNonNull(name, "name"), Objects.requireNonNull(arguments,
                "arguments")};
        return this;
    }

    /**
     * Delays each chunk of a streamed answer (after the first). The default is none.
     *
     * @param delay time between chunks
     * @return this server
     */
    public FakeLlmServer streamChunkDelay(Duration delay) {
        this.streamChunkDelay = Objects.requireNonNull(delay, "delay");
        return this;
    }

    /** @return streamed answers (received since the last reset) whose client went away before the end */
    public int streamsAbandoned() {
        return streamsAbandoned.get();
    }

    /**
     * Queues faults for the next chat-completion requests, one per request in arrival order;
     * once the queue is empty, requests are answered normally again.
     *
     * @param faults the faults in order
     * @return this server
     */
    public FakeLlmServer failNext(FakeLlmFault... faults) {
        for (FakeLlmFault fault : faults) {
            nextFaults.add(Objects.requireNonNull(fault, "fault"));
        }
        return this;
    }

    /**
     * Applies a fault to every chat-completion request (after any queued by {@link #failNext})
     * until {@link #reset()}.
     *
     * @param fault the fault
     * @return this server
     */
    public FakeLlmServer failAlways(FakeLlmFault fault) {
        this.persistentFault = Objects.requireNonNull(fault, "fault");
        return this;
    }

    /**
     * Ends the fault set by {@link #failAlways} (a provider or gateway that comes back), keeping the scripted answers.
     *
     * @return this server
     */
    public FakeLlmServer stopFailing() {
        this.persistentFault = null;
        return this;
    }

    /**
     * Sets the models {@code GET /v1/models} lists. The default is {@value #DEFAULT_MODEL}.
     *
     * @param ids model ids
     * @return this server
     */
    public FakeLlmServer models(String... ids) {
        this.models = List.of(ids);
        return this;
    }

    /**
     * Groups chat-completion requests (e.g. by the repository a test wrote into the prompt) so that
     * {@link #maxInFlightByGroup()} reports the peak concurrency of each group. The default is no
     * grouping.
     *
     * @param group computes a request's group; {@code null} leaves a request out of every group
     * @return this server
     */
    public FakeLlmServer groupBy(Function<RecordedRequest, String> group) {
        this.group = Objects.requireNonNull(group, "group");
        return this;
    }

    /**
     * Requires {@code Authorization: Bearer <apiKey>} on every request and answers HTTP 401 in
     * OpenAI's error shape otherwise. The default accepts any request.
     *
     * @param apiKey the expected key, or {@code null} to accept any request
     * @return this server
     */
    public FakeLlmServer expectApiKey(String apiKey) {
        this.expectedApiKey = apiKey;
        return this;
    }

    /**
     * Restores the default behaviour and forgets the recorded requests and the in-flight peak. Requests still held
     * (by a latency, a {@linkplain FakeLlmFault#hang hang} or a slow stream) end at once with their connection
     * dropped, and no longer count in {@link #inFlight()}: a test starts with nothing in flight, whatever the
     * previous one left behind. The expected API key is kept: it belongs to how the server was set up, not to one
     * test.
     */
    public void reset() {
        CountDownLatch ended = generation;
        generation = new CountDownLatch(1);
        ended.countDown();
        visits.values().forEach(Visit::leave);
        answer = request -> "echo: " + request.lastUserMessage();
        usage = FakeUsage::estimate;
        latency = request -> Duration.ZERO;
        finishReason = "stop";
        models = List.of(DEFAULT_MODEL);
        persistentFault = null;
        group = null;
        toolCall = null;
        streamChunkDelay = Duration.ZERO;
        streamsAbandoned.set(0);
        maxInFlightByGroup.clear();
        nextFaults.clear();
        requests.clear();
        sequence.set(0);
        maxInFlight.set(inFlight.get());
    }

    // ---------------------------------------------------------------- observation

    /** @return every request received since the last reset, in arrival order */
    public List<RecordedRequest> requests() {
        List<RecordedRequest> snapshot = new ArrayList<>(requests);
        snapshot.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return snapshot;
    }

    /** @return the chat-completion requests received since the last reset, in arrival order */
    public List<RecordedRequest> chatRequests() {
        return requests().stream().filter(RecordedRequest::isChatCompletion).toList();
    }

    /** @return the most recent chat-completion request */
    public RecordedRequest lastChatRequest() {
        List<RecordedRequest> chats = chatRequests();
        if (chats.isEmpty()) {
            throw new IllegalStateException("the fake LLM has received no chat-completion request");
        }
        return chats.get(chats.size() - 1);
    }

    /** @return how many requests (of any kind) that arrived since the last reset the server is handling right now */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return the largest number of requests (of any kind) handled at once since the last reset */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /**
     * @return per group of {@link #groupBy}, the largest number of chat-completion requests of that
     *         group handled at once since the last reset
     */
    public Map<String, Integer> maxInFlightByGroup() {
        Map<String, Integer> peaks = new TreeMap<>();
        maxInFlightByGroup.forEach((key, peak) -> peaks.put(key, peak.get()));
        return peaks;
    }

    /** Stops the server at once; hung requests are released and their connections dropped. */
    @Override
    public void close() {
        closing.countDown();
        generation.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- handling

    private void handle(HttpExchange exchange) throws IOException {
        Visit visit = new Visit(generation);
        visits.put(exchange, visit);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            RecordedRequest request = record(exchange);
            String key = expectedApiKey;
            if (key != null && !("Bearer " + key).equals(request.header("Authorization").orElse(null))) {
                sendError(exchange, 401, "Incorrect API key provided", "invalid_request_error", "invalid_api_key");
            } else if (CHAT_COMPLETIONS_PATH.equals(request.path())) {
                if ("POST".equals(request.method())) {
                    chatCompletion(exchange, request);
                } else {
                    sendError(exchange, 405, "Use POST", "invalid_request_error", null);
                }
            } else if (MODELS_PATH.equals(request.path())) {
                if ("GET".equals(request.method())) {
                    sendJson(exchange, 200, modelList());
                } else {
                    sendError(exchange, 405, "Use GET", "invalid_request_error", null);
                }
            } else {
                sendError(exchange, 404, "Unknown path " + request.path(), "invalid_request_error", "unknown_url");
            }
        } catch (IOException e) {
            // The client went away (e.g. it timed out); nothing left to tell it.
            exchange.close();
        } catch (RuntimeException e) {
            // A test's script (answer, usage or latency function) threw: say so instead of hanging up.
            try {
                sendError(exchange, 500, "the fake LLM's script failed: " + e, "server_error", null);
            } catch (IOException | RuntimeException unsendable) {
                exchange.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } finally {
            visit.leave();
            visits.remove(exchange);
        }
    }

    /**
     * One request's stay in the server. It ends just before its answer is written (or when the
     * connection is dropped without one): a client may send its next request the moment it reads an
     * answer, so counting a request as in flight while the answer is written would let the peak
     * exceed the client's real concurrency.
     */
    private final class Visit {
        private final AtomicBoolean left = new AtomicBoolean();
        private final CountDownLatch released;
        private volatile String group;

        Visit(CountDownLatch released) {
            this.released = released;
        }

        /**
         * Waits, unless a reset or the server's close ends the wait first.
         *
         * @param duration how long; {@code null} for as long as the request's generation lasts
         * @return whether the request still belongs to the current test (no reset or close happened)
         */
        boolean pause(Duration duration) throws InterruptedException {
            if (duration == null) {
                released.await();
                return false;
            }
            return !released.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** @return whether a reset or close happened since the request arrived */
        boolean stale() {
            return released.getCount() == 0;
        }

        void join(String key) {
            group = key;
            int now = inFlightByGroup.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            maxInFlightByGroup.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        }

        void leave() {
            if (left.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
                String key = group;
                if (key != null) {
                    inFlightByGroup.get(key).decrementAndGet();
                }
            }
        }
    }

    private RecordedRequest record(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode json = null;
        if (!body.isBlank()) {
            try {
                json = JSON.readTree(body);
            } catch (IOException notJson) {
                json = null;
            }
        }
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        RecordedRequest request = new RecordedRequest(sequence.incrementAndGet(), exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(), Map.copyOf(headers), body, json, Instant.now());
        requests.add(request);
        return request;
    }

    private void chatCompletion(HttpExchange exchange, RecordedRequest request)
            throws IOException, InterruptedException {
        if (request.json() == null || !request.json().isObject()) {
            sendError(exchange, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
            return;
        }
        if (!request.json().path("messages").isArray() || request.json().path("messages").isEmpty()) {
            sendError(exchange, 400, "Missing required parameter: 'messages'.", "invalid_request_error",
                    "missing_required_parameter");
            return;
        }
        Function<RecordedRequest, String> grouping = group;
        String key = grouping == null ? null : grouping.apply(request);
        if (key != null) {
            visits.get(exchange).join(key);
        }
        Visit visit = visits.get(exchange);
        Duration delay = latency.apply(request);
        if (delay != null && !delay.isZero() && !delay.isNegative() && !visit.pause(delay)) {
            // Ended early by a reset or close: the request belongs to an earlier test (or none); drop it.
            exchange.close();
            return;
        }
        FakeLlmFault fault = nextFaults.poll();
        if (fault == null) {
            fault = persistentFault;
        }
        if (fault instanceof FakeLlmFault.Status status) {
            status.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            send(exchange, status.status(), status.contentType(), status.body());
        } else if (fault instanceof FakeLlmFault.Hang hang) {
            visit.pause(hang.duration());
            exchange.close();
        } else if (fault instanceof FakeLlmFault.Disconnect) {
            exchange.close();
        } else if (request.json().path("stream").asBoolean(false)) {
            stream(exchange, request, fault, visit);
        } else {
            sendJson(exchange, 200, completion(request, fault instanceof FakeLlmFault.MissingUsage));
        }
    }

    private void stream(HttpExchange exchange, RecordedRequest request, FakeLlmFault fault, Visit visit)
            throws IOException, InterruptedException {
        String id = "chatcmpl-fake-" + completionIds.incrementAndGet();
        String[] tool = toolCall;
        String content = tool == null ? answer.apply(request) : null;
        List<ObjectNode> chunks = new ArrayList<>();
        ObjectNode first = chunk(request, id, chunks);
        delta(first).put("role", "assistant");
        if (tool == null) {
            delta(first).put("content", "");
            for (String piece : content.split("(?<= )")) {
                delta(chunk(request, id, chunks)).put("content", piece);
            }
        } else {
            String arguments = tool[1];
            int half = arguments.length() / 2;
            ObjectNode call = delta(first).putArray("tool_calls").addObject();
            call.put("index", 0);
            call.put("id", "call_fake_" + id);
            call.put("type", "function");
            call.putObject("function").put("name", tool[0]).put("arguments", "");
            for (String piece : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
                ObjectNode next = delta(chunk(request, id, chunks)).putArray("tool_calls").addObject();
                next.put("index", 0);
                next.putObject("function").put("arguments", piece);
            }
        }
        chunk(request, id, chunks).put("finish_reason", tool == null ? finishReason : "tool_calls");
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            if (fault instanceof FakeLlmFault.MalformedStream) {
                write(out, "data: {\"id\":\"" + id + "\",\"choices\": [\n\n");
                write(out, "data: [DONE]\n\n");
                out.close();
                return;
            }
            int limit = fault instanceof FakeLlmFault.DieMidStream die ? die.chunks() : Integer.MAX_VALUE;
            for (int i = 0; i < chunks.size(); i++) {
                if (i >= limit) {
                    // A provider that dies mid-answer: the connection ends without [DONE].
                    exchange.close();
                    return;
                }
                if (i > 0 && !streamChunkDelay.isZero() && !visit.pause(streamChunkDelay)) {
                    exchange.close();
                    return;
                }
                write(out, "data: " + JSON.writeValueAsString(chunks.get(i)) + "\n\n");
            }
            boolean wantsUsage = request.json().path("stream_options").path("include_usage").asBoolean(false);
            String text = content != null ? content : tool[1];
            FakeUsage reported = !wantsUsage || fault instanceof FakeLlmFault.MissingUsage ? null
                    : usage.apply(request, text);
            if (reported != null) {
                ObjectNode last = JSON.createObjectNode();
                last.put("id", id);
                last.put("object", "chat.completion.chunk");
                last.put("created", Instant.now().getEpochSecond());
                last.put("model", request.model() == null ? DEFAULT_MODEL : request.model());
                last.putArray("choices");
                ObjectNode usageNode = last.putObject("usage");
                usageNode.put("prompt_tokens", reported.promptTokens());
                usageNode.put("completion_tokens", reported.completionTokens());
                usageNode.put("total_tokens", reported.totalTokens());
                write(out, "data: " + JSON.writeValueAsString(last) + "\n\n");
            }
            visit.leave();
            write(out, "data: [DONE]\n\n");
            out.close();
        } catch (IOException clientGone) {
            if (!visit.stale()) {
                streamsAbandoned.incrementAndGet();
            }
            throw clientGone;
        }
    }

    private ObjectNode chunk(RecordedRequest request, String id, List<ObjectNode> chunks) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", Instant.now().getEpochSecond());
        chunk.put("model", request.model() == null ? DEFAULT_MODEL : request.model());
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        chunks.add(chunk);
        return choice;
    }

    private static ObjectNode delta(ObjectNode choice) {
        return (ObjectNode) choice.get("delta");
    }

    private static void write(OutputStream out, String event) throws IOException {
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private ObjectNode completion(RecordedRequest request, boolean omitUsage) {
        String[] tool = toolCall;
        String content = tool == null ? answer.apply(request) : null;
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake-" + completionIds.incrementAndGet());
        root.put("object", "chat.completion");
        root.put("created", Instant.now().getEpochSecond());
        root.put("model", request.model() == null ? DEFAULT_MODEL : request.model());
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        if (tool != null) {
            ObjectNode call = message.putArray("tool_calls").addObject();
            call.put("id", "call_fake_" + root.get("id").asText());
            call.put("type", "function");
            call.putObject("function").put("name", tool[0]).put("arguments", tool[1]);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", tool == null ? finishReason : "tool_calls");
        FakeUsage reported = omitUsage ? null : usage.apply(request, content == null ? tool[1] : content);
        if (reported != null) {
            ObjectNode usageNode = root.putObject("usage");
            usageNode.put("prompt_tokens", reported.promptTokens());
            usageNode.put("completion_tokens", reported.completionTokens());
            usageNode.put("total_tokens", reported.totalTokens());
        }
        return root;
    }

    private ObjectNode modelList() {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        long created = Instant.now().getEpochSecond();
        for (String id : models) {
            ObjectNode model = data.addObject();
            model.put("id", id);
            model.put("object", "model");
            model.put("created", created);
            model.put("owned_by", "drep-fake");
        }
        return root;
    }

    private void sendError(HttpExchange exchange, int status, String message, String type, String code)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.put("code", code);
        sendJson(exchange, status, root);
    }

    private void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    private void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Visit visit = visits.get(exchange);
        if (visit != null) {
            visit.leave();
        }
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
