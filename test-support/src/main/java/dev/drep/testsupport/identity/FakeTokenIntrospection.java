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
 * see what an unreachable scanner does. It also answers the scanner's token API as an admin calls it
 * ({@code POST /api/tokens}, {@code DELETE /api/tokens/{id}}, the bearer {@link TestTokens#ADMIN} or an issued token
 * with scope {@code admin}), for the gateway's keys, which it issues on the admin's behalf.
 */
public final class FakeTokenIntrospection implements AutoCloseable {
    /** The path the services call. */
    public static final String PATH = "/internal/tokens/introspect";
    /** The scanner's token API. */
    public static final String TOKENS_PATH = "/api/tokens";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String serviceToken;
    private final Map<String, ObjectNode> grants = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> tokenApiCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
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

    /**
     * @param token a token issued here
     * @return its grant as introspection answers it (id, name, scopes, repository, expiresAt, revokedAt), or null
     */
    public JsonNode grant(String token) {
        ObjectNode grant = grants.get(sha256(token));
        return grant == null ? null : grant.deepCopy();
    }

    /** @return the token API calls answered, each as "METHOD path by <the bearer's name or 'unknown'>" */
    public List<String> tokenApiCalls() {
        return List.copyOf(tokenApiCalls);
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
            created.createContext(TOKENS_PATH, this::tokens);
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

    /** {@code POST /api/tokens} and {@code DELETE /api/tokens/{id}}, for admins, in the scanner's JSON. */
    private void tokens(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String bearer = authorization != null && authorization.startsWith("Bearer ")
                    ? authorization.substring("Bearer ".length()) : null;
            ObjectNode caller = bearer == null ? null : grants.get(sha256(bearer));
            String who = TestTokens.ADMIN.equals(bearer) ? "admin" : caller != null ? caller.get("name").asText() : "unknown";
            String path = exchange.getRequestURI().getPath();
            tokenApiCalls.add(exchange.getRequestMethod() + " " + path + " by " + who);
            if (bearer == null) {
                send(exchange, 401, "{\"error\":\"unauthorized\",\"message\":\"this call needs a bearer token\"}");
                return;
            }
            boolean admin = TestTokens.ADMIN.equals(bearer) || caller != null && !caller.hasNonNull("revokedAt")
                    && caller.path("scopes").toString().contains("\"admin\"");
            if (!admin) {
                send(exchange, caller == null ? 401 : 403, "{\"error\":\"forbidden\",\"message\":\"this call needs "
                        + "scope 'admin'\"}");
                return;
            }
            if ("POST".equals(exchange.getRequestMethod()) && path.equals(TOKENS_PATH)) {
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                if (!request.path("name").isTextual() || request.path("name").asText().isBlank()) {
                    send(exchange, 400, "{\"error\":\"invalid_request\",\"message\":\"field 'name' is required\"}");
                    return;
                }
                List<String> scopes = new java.util.ArrayList<>();
                request.path("scopes").forEach(scope -> scopes.add(scope.asText()));
                String expiresIn = request.path("expiresIn").asText("");
                Instant expiresAt = expiresIn.matches("[0-9]+d")
                        ? Instant.now().plus(java.time.Duration.ofDays(Long.parseLong(expiresIn.replace("d", "")))) : null;
                String token = issue(request.get("name").asText(), scopes,
                        request.hasNonNull("repository") ? request.get("repository").asText() : null, expiresAt);
                ObjectNode answer = JSON.createObjectNode().put("token", token);
                ObjectNode details = grants.get(sha256(token)).deepCopy();
                details.put("createdBy", who);
                answer.set("details", details);
                send(exchange, 201, JSON.writeValueAsString(answer));
                return;
            }
            if ("DELETE".equals(exchange.getRequestMethod()) && path.startsWith(TOKENS_PATH + "/")) {
                String id = path.substring(TOKENS_PATH.length() + 1);
                for (ObjectNode grant : grants.values()) {
                    if (grant.path("id").asText().equals(id)) {
                        if (!grant.hasNonNull("revokedAt")) {
                            grant.put("revokedAt", Instant.now().toString());
                        }
                        send(exchange, 200, JSON.writeValueAsString(grant));
                        return;
                    }
                }
                send(exchange, 404, "{\"error\":\"not_found\",\"message\":\"no token with id " + id + "\"}");
                return;
            }
            send(exchange, 405, "{\"error\":\"method_not_allowed\",\"message\":\"POST /api/tokens or DELETE "
                    + "/api/tokens/{id}\"}");
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
