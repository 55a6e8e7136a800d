package dev.drep.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible chat-completions endpoint for {@link AnalyzerThroughputBenchmark}, with a
 * fixed latency per answer: the gateway's wire format, answering review requests with one finding
 * per file section and doc-comment requests with one comment per declaration. (The benchmarks module
 * does not depend on test-support, whose {@code FakeLlmServer} the analyzer's tests use.) Behind the
 * gateway, which does not pass drep's task-class header on, doc-comment requests are told apart by their
 * system prompt. It keeps the time spent answering and the paths it was asked to review, for
 * {@link StackThroughputBenchmark}.
 */
final class AnalyzerFakeProvider implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FILE = Pattern.compile("### File: (\\S+)");
    private static final Pattern CHANGED = Pattern.compile("(?m)^\\s*(\\d+)\\+\\| (.*)$");
    private static final Pattern PR = Pattern.compile("(?:### File: |### )pr(\\d+)/");
    private static final Pattern DECLARATION = Pattern.compile("(?m)^### (\\S+), line (\\d+):");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-provider");
        t.setDaemon(true);
        return t;
    });
    private final long latencyMillis;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();
    private final AtomicLong firstRequestMillis = new AtomicLong();
    private final AtomicLong lastAnswerMillis = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    /** Epoch milliseconds at which a request arrived (+1) or was answered (-1), of the current window. */
    private final Queue<long[]> timeline = new ConcurrentLinkedQueue<>();
    /** The current window's calls, in the order they were answered. */
    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private final Set<String> reviewedPaths = ConcurrentHashMap.newKeySet();
    private final Set<String> documentedPaths = ConcurrentHashMap.newKeySet();

    /**
     * One answered call.
     *
     * @param arrived  epoch milliseconds
     * @param answered epoch milliseconds
     * @param doc      a doc-comment request (else a review request)
     * @param pr       the pull request number the prompt's first path names ({@code pr<N>/...}), or -1
     * @param files    the file sections (review) or declarations (doc comments) the prompt held
     */
    record Call(long arrived, long answered, boolean doc, int pr, int files) {
    }

    AnalyzerFakeProvider(long latencyMillis) throws IOException {
        this.latencyMillis = latencyMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long requests() {
        return requests.get();
    }

    /** @return time spent answering, summed over requests (the latency included) */
    long busyNanos() {
        return busyNanos.get();
    }

    /**
     * Starts a new observation window: {@link #firstRequestMillis()}, {@link #lastAnswerMillis()} and the
     * paths seen restart.
     */
    void newWindow() {
        reviewedPaths.clear();
        documentedPaths.clear();
        timeline.clear();
        calls.clear();
        firstRequestMillis.set(0);
        lastAnswerMillis.set(0);
    }

    /** @return when the window's first request arrived (epoch milliseconds), 0 before any */
    long firstRequestMillis() {
        return firstRequestMillis.get();
    }

    /** @return when the window's last answer was sent (epoch milliseconds), 0 before any */
    long lastAnswerMillis() {
        return lastAnswerMillis.get();
    }

    /** @return the window's arrivals ({@code [millis, +1]}) and answers ({@code [millis, -1]}), in time order */
    List<long[]> timeline() {
        List<long[]> events = new ArrayList<>(timeline);
        events.sort(Comparator.comparingLong((long[] e) -> e[0]).thenComparingLong(e -> e[1]));
        return events;
    }

    /** @return the window's calls, by arrival */
    List<Call> calls() {
        List<Call> list = new ArrayList<>(calls);
        list.sort(Comparator.comparingLong(Call::arrived));
        return list;
    }

    /** @return the most requests answered at once */
    int maxInFlight() {
        return maxInFlight.get();
    }

    /** @return the paths that appeared in review requests */
    Set<String> reviewedPaths() {
        return Set.copyOf(reviewedPaths);
    }

    /** @return the paths that appeared in doc-comment requests */
    Set<String> documentedPaths() {
        return Set.copyOf(documentedPaths);
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        long arrived = System.currentTimeMillis();
        firstRequestMillis.compareAndSet(0, arrived);
        timeline.add(new long[] {arrived, 1});
        requests.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        Call call = null;
        try {
            call = answer(exchange, arrived);
        } finally {
            inFlight.decrementAndGet();
            busyNanos.addAndGet(System.nanoTime() - start);
            long answered = System.currentTimeMillis();
            timeline.add(new long[] {answered, -1});
            lastAnswerMillis.accumulateAndGet(answered, Math::max);
            if (call != null) {
                calls.add(new Call(arrived, answered, call.doc(), call.pr(), call.files()));
            }
        }
    }

    private Call answer(HttpExchange exchange, long arrived) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String system = request.path("messages").path(0).path("content").asText();
        String user = request.path("messages").path(1).path("content").asText();
        String taskClass = exchange.getRequestHeaders().getFirst("X-Drep-Task-Class");
        boolean docRequest = "simple".equals(taskClass) || (taskClass == null && system.contains("{\"docs\""));
        String content = docRequest ? docs(user, documentedPaths) : review(user, reviewedPaths);
        Matcher pr = PR.matcher(user);
        Call call = new Call(arrived, 0, docRequest, pr.find() ? Integer.parseInt(pr.group(1)) : -1,
                (docRequest ? DECLARATION : FILE).matcher(user).results().mapToInt(m -> 1).sum());
        try {
            Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", "chatcmpl-bench").put("object", "chat.completion").put("model", "bench");
        ObjectNode choice = answer.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        int prompt = request.toString().length() / 4;
        answer.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", content.length() / 4)
                .put("total_tokens", prompt + content.length() / 4);
        byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        return call;
    }

    private static String review(String user, Set<String> seen) {
        StringBuilder out = new StringBuilder("{\"findings\":[");
        Matcher file = FILE.matcher(user);
        int previous = -1;
        String previousPath = null;
        boolean first = true;
        while (true) {
            boolean found = file.find();
            int end = found ? file.start() : user.length();
            if (previousPath != null) {
                Matcher changed = CHANGED.matcher(user.substring(previous, end));
                if (changed.find()) {
                    out.append(first ? "" : ",").append("{\"path\":\"").append(previousPath).append("\",\"line\":")
                            .append(changed.group(1)).append(",\"quote\":")
                            .append(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                    .textNode(changed.group(2).strip()).toString())
                            .append(",\"severity\":\"medium\",\"category\":\"maintainability\","
                                    + "\"message\":\"Consider extracting this loop into a named helper.\"}");
                    first = false;
                }
            }
            if (!found) {
                break;
            }
            previous = file.start();
            previousPath = file.group(1);
            seen.add(previousPath);
        }
        return out.append("]}").toString();
    }

    private static String docs(String user, Set<String> seen) {
        StringBuilder out = new StringBuilder("{\"docs\":[");
        Matcher declaration = DECLARATION.matcher(user);
        boolean first = true;
        while (declaration.find()) {
            seen.add(declaration.group(1));
            out.append(first ? "" : ",").append("{\"path\":\"").append(declaration.group(1)).append("\",\"line\":")
                    .append(declaration.group(2)).append(",\"comment\":\"Scales every value by the factor and returns the sum.\"}");
            first = false;
        }
        return out.append("]}").toString();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
