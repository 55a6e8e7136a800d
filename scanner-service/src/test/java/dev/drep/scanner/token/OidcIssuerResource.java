package dev.drep.scanner.token;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A real OIDC token issuer for the scanner's tests: an RSA key pair made per run, its public key served as a JWKS over
 * HTTP (WireMock), and access tokens signed with its private key by jose4j. The scanner verifies them with quarkus-oidc
 * as it would a Keycloak's or Entra ID's: signature against the JWKS, issuer, audience, expiry; groups map to scopes.
 */
public class OidcIssuerResource implements QuarkusTestResourceLifecycleManager {
    static final String ISSUER = "https://idp.test/realms/acme";
    static final String AUDIENCE = "drep-api";
    static final String READERS_GROUP = "drep-readers";
    private static RsaJsonWebKey key;
    private static RsaJsonWebKey strangerKey;
    private WireMockServer server;

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
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(WireMock.get("/realms/acme/protocol/openid-connect/certs").willReturn(WireMock.okJson(
                new JsonWebKeySet(key).toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY))));
        return Map.of(
                "quarkus.oidc.tenant-enabled", "true",
                "quarkus.oidc.auth-server-url", server.baseUrl() + "/realms/acme",
                "quarkus.oidc.discovery-enabled", "false",
                "quarkus.oidc.jwks-path", "protocol/openid-connect/certs",
                "quarkus.oidc.token.issuer", ISSUER,
                "quarkus.oidc.token.audience", AUDIENCE,
                "drep.identity.role-scopes.\"" + READERS_GROUP + "\"", "jobs:read");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** @return an access token of this issuer for {@code audience}, with these groups, valid for {@code lifetime} */
    static String token(String issuer, String audience, List<String> groups, Duration lifetime) {
        return sign(key, issuer, audience, groups, lifetime);
    }

    /** @return a token with the right claims signed by a key the issuer never published */
    static String forged(List<String> groups) {
        return sign(strangerKey, ISSUER, AUDIENCE, groups, Duration.ofMinutes(5));
    }

    private static String sign(RsaJsonWebKey with, String issuer, String audience, List<String> groups, Duration lifetime) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject("alice@acme.example");
        claims.setClaim("preferred_username", "alice");
        claims.setStringListClaim("groups", groups);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(lifetime.toSeconds() / 60f);
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
