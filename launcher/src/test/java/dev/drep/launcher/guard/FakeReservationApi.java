package dev.drep.launcher.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.drep.launcher.Json;
import dev.drep.paths.MatchOptions;
import dev.drep.paths.PatternSet;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the scanner's reservation check: paths under a configured prefix, or covered by a configured
 * pattern (decided as the scanner decides, with {@link PatternSet#coveringIndices}: git's covering), are
 * reserved exclusively by a configured holder. Records every request.
 */
final class FakeReservationApi implements AutoCloseable {
    static final String EXPIRES = "2030-01-02T03:04:05Z";

    /** One request as received: the raw (still encoded) path, the holder and the paths. */
    record Received(String rawPath, String holder, List<String> paths) {
    }

    private final HttpServer server;
    private final Map<String, String> reservedPrefixes = new LinkedHashMap<>();
    private final Map<String, String> reservedPatterns = new LinkedHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int failWithStatus;

    FakeReservationApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/repositories/", this::handle);
        server.start();
    }

    /** Paths starting with {@code prefix} are under an exclusive reservation of {@code holder}. */
    FakeReservationApi reserve(String prefix, String holder) {
        reservedPrefixes.put(prefix, holder);
        return this;
    }

    /** Paths {@code pattern} covers (git's covering, the scanner's rule) are under a reservation of {@code holder}. */
    FakeReservationApi reservePattern(String pattern, String holder) {
        reservedPatterns.put(pattern, holder);
        return this;
    }

    /** Answer every request with this status and an error body. */
    FakeReservationApi failWith(int status) {
        failWithStatus = status;
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return received;
    }

    List<String> allPathsReceived() {
        List<String> all = new ArrayList<>();
        received.forEach(r -> all.addAll(r.paths()));
        return all;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rawPath = exchange.getRequestURI().getRawPath();
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
            List<String> paths = new ArrayList<>();
            body.path("paths").forEach(p -> paths.add(p.asText()));
            String holder = body.path("holder").isNull() || body.path("holder").isMissingNode() ? null
                    : body.path("holder").asText();
            received.add(new Received(rawPath, holder, paths));
            if (failWithStatus != 0) {
                send(exchange, failWithStatus, "{\"error\":\"boom\",\"message\":\"the fake was told to fail\"}");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST") || !rawPath.endsWith("/reservations/check")) {
                send(exchange, 404, "{\"error\":\"not_found\",\"message\":\"no such endpoint\"}");
                return;
            }
            StringBuilder conflicts = new StringBuilder();
            for (String path : paths) {
                reservedPrefixes.forEach((prefix, owner) -> {
                    if (path.startsWith(prefix) && !owner.equals(holder)) {
                        if (conflicts.length() > 0) {
                            conflicts.append(',');
                        }
                        conflicts.append("{\"path\":\"").append(path).append("\",\"reservation\":{\"id\":\"r1\","
                                + "\"holder\":\"").append(owner).append("\",\"pattern\":\"").append(prefix)
                                .append("**\",\"exclusive\":true,\"reason\":\"refactoring\",\"expiresAt\":\"")
                                .append(EXPIRES).append("\",\"state\":\"ACTIVE\"}}");
                    }
                });
            }
            List<String> patterns = List.copyOf(reservedPatterns.keySet());
            PatternSet set = PatternSet.compile(patterns, MatchOptions.CASE_SENSITIVE);
            for (String path : paths) {
                for (int index : set.coveringIndices(path, false)) {
                    String pattern = patterns.get(index);
                    String owner = reservedPatterns.get(pattern);
                    if (!owner.equals(holder)) {
                        if (conflicts.length() > 0) {
                            conflicts.append(',');
                        }
                        conflicts.append(Json.MAPPER.writeValueAsString(Map.of("path", path, "reservation", Map.of(
                                "id", "r2", "holder", owner, "pattern", pattern, "exclusive", true,
                                "reason", "refactoring", "expiresAt", EXPIRES, "state", "ACTIVE"))));
                    }
                }
            }
            send(exchange, 200, "{\"conflicts\":[" + conflicts + "]}");
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
