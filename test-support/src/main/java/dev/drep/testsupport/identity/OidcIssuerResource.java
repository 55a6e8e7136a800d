package dev.drep.testsupport.identity;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A real OIDC token issuer for a service's tests: an RSA key pair made per run, its public key served as a JWKS over
 * HTTP (on a free loopback port), and access tokens signed with its private key by jose4j. The service verifies them
 * with quarkus-oidc as it would a Keycloak's or Entra ID's: signature against the JWKS, issuer, audience, expiry; groups
 * map to scopes by {@code drep.identity.role-scopes}.
 *
 * <p>Turns on the service's default (bearer) OIDC tenant. Every init argument is passed on as configuration, so a test
 * maps its groups to scopes with {@code drep.identity.role-scopes."<group>"=<scopes>}.
 */
public class OidcIssuerResource implements QuarkusTestResourceLifecycleManager {
    /** The {@code iss} of the issuer's tokens. */
    public static final String ISSUER = "https://idp.test/realms/acme";
    /** The audience the service is configured to require. */
    public static final String AUDIENCE = "drep-api";
    private static final String JWKS_PATH = "/realms/acme/protocol/openid-connect/certs";
    private static RsaJsonWebKey key;
    private static RsaJsonWebKey strangerKey;
    private final Map<String, String> extra = new HashMap<>();
    private HttpServer server;

    @Override
    public void init(Map<String, String> initArgs) {
        extra.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("drep-test-key");
            strangerKey = RsaJwkGenerator.generateJwk(2048);
            strangerKey.setKeyId("drep-test-key");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        byte[] jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the test OIDC issuer", e);
        }
        server.createContext(JWKS_PATH, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(jwks);
            }
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/acme";
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.oidc.tenant-enabled", "true",
                "quarkus.oidc.auth-server-url", base,
                "quarkus.oidc.discovery-enabled", "false",
                "quarkus.oidc.jwks-path", "protocol/openid-connect/certs",
                "quarkus.oidc.token.issuer", ISSUER,
                "quarkus.oidc.token.audience", AUDIENCE));
        config.putAll(extra);
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** @return an access token of this issuer for {@code audience}, with these groups, valid for {@code lifetime} */
    public static String token(String issuer, String audience, List<String> groups, Duration lifetime) {
        return sign(key, issuer, audience, groups, lifetime);
    }

    /** @return a valid access token of this issuer for the service, with these groups */
    public static String token(List<String> groups) {
        return token(ISSUER, AUDIENCE, groups, Duration.ofMinutes(5));
    }

    /** @return a token with the right claims that expired {@code ago} */
    public static String expired(List<String> groups, Duration ago) {
        JwtClaims claims = claims(ISSUER, AUDIENCE, groups);
        long now = System.currentTimeMillis() / 1000;
        claims.setIssuedAt(NumericDate.fromSeconds(now - ago.toSeconds() - 300));
        claims.setExpirationTime(NumericDate.fromSeconds(now - ago.toSeconds()));
        return sign(key, claims);
    }

    /** @return a token with the right claims signed by a key the issuer never published */
    public static String forged(List<String> groups) {
        return sign(strangerKey, ISSUER, AUDIENCE, groups, Duration.ofMinutes(5));
    }

    private static String sign(RsaJsonWebKey with, String issuer, String audience, List<String> groups, Duration lifetime) {
        JwtClaims claims = claims(issuer, audience, groups);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(lifetime.toSeconds() / 60f);
        return sign(with, claims);
    }

    private static JwtClaims claims(String issuer, String audience, List<String> groups) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject("alice@acme.example");
        claims.setClaim("preferred_username", "alice");
        claims.setStringListClaim("groups", groups);
        return claims;
    }

    private static String sign(RsaJsonWebKey with, JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(with.getPrivateKey());
        jws.setKeyIdHeaderValue(with.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
