package dev.drep.testsupport.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the scanner's token introspection ({@code POST /internal/tokens/introspect}, its documented JSON:
 * {@code {"tokenSha256": ...}} in, {@code {"active", "id", "name", "scopes", "repository", "expiresAt", "revokedAt"}}
 * out, {@code {"active": false}} for a token no one issued), for the tests of the services that accept API tokens
 * without keeping them. A real HTTP server on 127.0.0.1 that requires the calling service's own token; tests
 * {@linkplain #issue issue} and {@linkplain #revoke revoke} tokens, count the calls, and {@linkplain #stop stop} it to
 * see what an unreachable scanner does.
 */
public final class FakeTokenIntrospection implements AutoCloseable {
    /** The path the services call. */
    public static final String PATH = "/internal/tokens/introspect";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String serviceToken;
    private final Map<String, ObjectNode> grants = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final int port;
    private volatile HttpServer server;

    private FakeTokenIntrospection(String serviceToken, int port) {
        this.serviceToken = serviceToken;
        this.server = bind(port);
        this.port = server.getAddress().getPort();
    }

    /** @return a running fake on a free port that answers only callers presenting {@code serviceToken} */
    public static FakeTokenIntrospection start(String serviceToken) {
        return new FakeTokenIntrospection(serviceToken, 0);
    }

    /** @return the base URL ({@code drep.identity.introspection.url}) */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Issues a token, as {@code POST /api/tokens} would.
     *
     * @param name       what it is for
     * @param scopes     its scopes
     * @param repository the repository it is restricted to, or null
     * @param expiresAt  its expiry, or null
     * @return the token ({@code drep_...})
     */
    public String issue(String name, List<String> scopes, String repository, Instant expiresAt) {
        String token = "drep_fake-" + UUID.randomUUID().toString().replace("-", "");
        ObjectNode grant = JSON.createObjectNode();
        grant.put("id", UUID.randomUUID().toString());
        grant.put("name", name);
        scopes.forEach(grant.putArray("scopes")::add);
        if (repository != null) {
            grant.put("repository", repository);
        }
        if (expiresAt != null) {
            grant.put("expiresAt", expiresAt.toString());
        }
        grants.put(sha256(token), grant);
        return token;
    }

    /** Revokes {@code token} now, as {@code DELETE /api/tokens/{id}} would. */
    public void revoke(String token) {
        grants.get(sha256(token)).put("revokedAt", Instant.now().toString());
    }

    /** @return how many introspection calls were answered (with any status) */
    public int calls() {
        return calls.get();
    }

    /** Stops answering: connections are refused until {@link #restart()}. */
    public synchronized void stop() {
        server.stop(0);
    }

    /** Answers again, on the same port. */
    public synchronized void restart() {
        server = bind(port);
    }

    @Override
    public synchronized void close() {
        server.stop(0);
    }

    private HttpServer bind(int on) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 0);
            created.createContext(PATH, this::answer);
            created.start();
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fake token introspection on port " + on, e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "{\"error\":\"method_not_allowed\",\"message\":\"POST only\"}");
                return;
            }
            if (!("Bearer " + serviceToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"error\":\"invalid_token\",\"message\":\"not the expected service token\"}");
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            ObjectNode grant = grants.get(request.path("tokenSha256").asText());
            if (grant == null) {
                send(exchange, 200, "{\"active\":false}");
                return;
            }
            ObjectNode answer = grant.deepCopy();
            boolean expired = grant.hasNonNull("expiresAt") && !Instant.parse(grant.get("expiresAt").asText()).isAfter(Instant.now());
            answer.put("active", !grant.hasNonNull("revokedAt") && !expired);
            send(exchange, 200, JSON.writeValueAsString(answer));
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** @return lower-case hex SHA-256 of {@code token} */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
