package dev.drep.scanner.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A small real OpenID provider for the dashboard's authorization-code flow, speaking the OIDC wire format over HTTP (the
 * JDK's server on 127.0.0.1, a random port): the discovery document, an authorization endpoint, a token endpoint that
 * exchanges a code for an id_token and an access_token signed with an RSA key made per run (jose4j), the JWKS, and an
 * end-session endpoint. The person signed in at the provider is chosen by the test ({@link #signedIn}); with nobody
 * signed in the authorization endpoint shows its own sign-in page, as a real provider would. The token endpoint checks
 * the client's id and secret (client_secret_basic), that the code was issued to that client for that redirect_uri, and
 * that a code is used once; the id_token carries the nonce of the authorization request.
 */
public class OidcProviderResource implements QuarkusTestResourceLifecycleManager {
    static final String CLIENT_ID = "drep-dashboard";
    static final String CLIENT_SECRET = "dashboard-client-secret-0123456789abcdef";
    static final String REALM = "/realms/acme";
    /** a group the configuration maps to jobs:read */
    static final String READERS_GROUP = "drep-readers";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A person at the provider: their user name, groups, and the issuer their tokens will name (normally this one). */
    record Person(String name, List<String> groups, String issuer) {
        static Person of(String name, String... groups) {
            return new Person(name, List.of(groups), null);
        }
    }

    /** What the provider does on the next authorization request, for the bad-input tests. */
    enum Answer {
        /** redirect back with a code and the request's own state */
        HONEST,
        /** redirect back with a code and a state the client never sent */
        WRONG_STATE
    }

    private record Grant(Person person, String clientId, String redirectUri, String nonce) {
    }

    private static volatile Person signedIn;
    private static volatile Answer answer = Answer.HONEST;
    private static volatile String issuer;
    private static final Map<String, Grant> CODES = new ConcurrentHashMap<>();
    /** the token requests the provider refused, with why: a test can tell a refused exchange from one never made */
    static final List<String> REFUSED = new CopyOnWriteArrayList<>();
    /** the redirect_uri of every authorization request the provider answered with a code */
    static final List<String> REDIRECTED_TO = new CopyOnWriteArrayList<>();
    private static RsaJsonWebKey key;
    private HttpServer server;

    /** Signs {@code person} in at the provider (null: nobody); the next authorization request answers for them. */
    static void signedIn(Person person) {
        signedIn = person;
    }

    /** Sets how the next authorization requests are answered. */
    static void answer(Answer how) {
        answer = how;
    }

    /** @return the issuer of this provider, as its discovery document names it */
    static String issuer() {
        return issuer;
    }

    @Override
    public Map<String, String> start() {
        try {
            key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("dashboard-test-key");
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (JoseException | IOException e) {
            throw new IllegalStateException(e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + REALM;
        server.createContext(REALM + "/.well-known/openid-configuration", this::discovery);
        server.createContext(REALM + "/protocol/openid-connect/auth", this::authorize);
        server.createContext(REALM + "/protocol/openid-connect/token", this::token);
        server.createContext(REALM + "/protocol/openid-connect/certs", this::keys);
        server.createContext(REALM + "/protocol/openid-connect/logout", this::endSession);
        server.start();
        Map<String, String> config = new LinkedHashMap<>();
        // bearer tokens at the API (the default tenant) and the dashboard's code flow, both from this provider
        config.put("quarkus.oidc.tenant-enabled", "true");
        config.put("quarkus.oidc.auth-server-url", issuer);
        config.put("quarkus.oidc.token.audience", "drep-api");
        config.put("drep.scanner.dashboard.oidc", "true");
        config.put("quarkus.oidc.dashboard.auth-server-url", issuer);
        config.put("quarkus.oidc.dashboard.client-id", CLIENT_ID);
        config.put("quarkus.oidc.dashboard.credentials.secret", CLIENT_SECRET);
        config.put("drep.identity.role-scopes.\"" + READERS_GROUP + "\"", "jobs:read");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String endpoints = issuer + "/protocol/openid-connect";
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("authorization_endpoint", endpoints + "/auth");
        document.put("token_endpoint", endpoints + "/token");
        document.put("jwks_uri", endpoints + "/certs");
        document.put("end_session_endpoint", endpoints + "/logout");
        document.put("response_types_supported", List.of("code"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
        document.put("scopes_supported", List.of("openid", "profile"));
        json(exchange, 200, document);
    }

    /** The authorization endpoint: the browser arrives here from the client, and goes back with a code and the state. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String redirectUri = query.get("redirect_uri");
        if (!"code".equals(query.get("response_type")) || !CLIENT_ID.equals(query.get("client_id")) || redirectUri == null
                || !String.valueOf(query.get("scope")).contains("openid")) {
            html(exchange, 400, "<h1>Acme ID: bad authorization request</h1>");
            return;
        }
        Person person = signedIn;
        if (person == null) {
            html(exchange, 200, "<h1 id=\"provider-sign-in\">Sign in to Acme ID</h1>");
            return;
        }
        String code = UUID.randomUUID().toString();
        CODES.put(code, new Grant(person, CLIENT_ID, redirectUri, query.get("nonce")));
        REDIRECTED_TO.add(redirectUri);
        String state = answer == Answer.WRONG_STATE ? "forged-" + UUID.randomUUID() : query.get("state");
        String back = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + encode(code)
                + (state == null ? "" : "&state=" + encode(state));
        exchange.getResponseHeaders().add("Location", back);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /** The token endpoint: a code, once, for the client it was issued to and the same redirect_uri. */
    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((encode(CLIENT_ID) + ":" + encode(CLIENT_SECRET)).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            refuse(exchange, 401, "invalid_client", "the client's id or secret is wrong");
            return;
        }
        if (!"authorization_code".equals(body.get("grant_type"))) {
            refuse(exchange, 400, "unsupported_grant_type", "grant_type " + body.get("grant_type"));
            return;
        }
        Grant grant = CODES.remove(String.valueOf(body.get("code")));
        if (grant == null || !grant.redirectUri().equals(body.get("redirect_uri"))) {
            refuse(exchange, 400, "invalid_grant", grant == null ? "unknown or used code" : "redirect_uri differs");
            return;
        }
        Person person = grant.person();
        String tokenIssuer = person.issuer() == null ? issuer : person.issuer();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", sign(claims(tokenIssuer, "drep-api", person, null)));
        answer.put("id_token", sign(claims(tokenIssuer, grant.clientId(), person, grant.nonce())));
        answer.put("token_type", "Bearer");
        answer.put("expires_in", 300);
        json(exchange, 200, answer);
    }

    private void keys(HttpExchange exchange) throws IOException {
        byte[] body = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** RP-initiated logout: the person is signed out at the provider and sent back to the client's page. */
    private void endSession(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        signedIn = null;
        String back = query.get("post_logout_redirect_uri");
        if (back == null) {
            html(exchange, 200, "<h1>Signed out of Acme ID</h1>");
            return;
        }
        String state = query.get("state");
        exchange.getResponseHeaders().add("Location", state == null ? back
                : back + (back.contains("?") ? "&" : "?") + "state=" + encode(state));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /** @return an access token of this provider for the API (audience drep-api), as a script would get one */
    static String accessToken(Person person) {
        return sign(claims(issuer, "drep-api", person, null));
    }

    private static JwtClaims claims(String tokenIssuer, String audience, Person person, String nonce) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(tokenIssuer);
        claims.setAudience(audience);
        claims.setSubject(person.name() + "@acme.example");
        claims.setClaim("preferred_username", person.name());
        claims.setStringListClaim("groups", person.groups());
        if (nonce != null) {
            claims.setClaim("nonce", nonce);
        }
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        return claims;
    }

    private static String sign(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void refuse(HttpExchange exchange, int status, String error, String why) throws IOException {
        REFUSED.add(error + ": " + why);
        json(exchange, status, Map.of("error", error, "error_description", why));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void html(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = ("<!DOCTYPE html><html><body>" + body + "</body></html>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
