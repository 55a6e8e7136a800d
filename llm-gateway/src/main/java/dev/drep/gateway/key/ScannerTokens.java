package dev.drep.gateway.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.gateway.error.GatewayException;
import dev.drep.identity.IdentityConfig;
import dev.drep.identity.Scopes;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Issues and revokes a key's API token at the scanner, which keeps drep's API tokens (the gateway keeps none):
 * at {@code drep.identity.introspection.url} ({@code DREP_SCANNER_URL}), on the admin's behalf. The scanner's
 * refusals reach the admin with their status and message; a scanner that does not answer is a 503.
 */
@ApplicationScoped
public class ScannerTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<URI> scanner;
    private final Duration timeout;
    private final ScannerTokenApi api;

    /** @param identity {@code drep.identity.introspection.*}: where the scanner is and how long a call may take */
    public ScannerTokens(IdentityConfig identity) {
        this.scanner = identity.introspection().url();
        this.timeout = identity.introspection().timeout();
        this.api = scanner.map(url -> QuarkusRestClientBuilder.newBuilder().baseUri(url)
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(ScannerTokenApi.class)).orElse(null);
    }

    /** A token the scanner issued: the secret (shown once) and what it says about it. */
    record Issued(String token, String id, java.time.Instant expiresAt) {
    }

    /**
     * @param authorization the admin's {@code Authorization} header, sent on
     * @param name          the token's name
     * @param repository    the repository it is restricted to, or {@code null}
     * @param expiresIn     its lifetime as the scanner reads it, or {@code null}
     * @return the token; fails with the scanner's refusal or a 503
     */
    Uni<Issued> issue(String authorization, String name, String repository, String expiresIn) {
        ObjectNode request = JSON.createObjectNode().put("name", name);
        request.putArray("scopes").add(Scopes.LLM_USE);
        if (repository != null) {
            request.put("repository", repository);
        }
        if (expiresIn != null) {
            request.put("expiresIn", expiresIn);
        }
        return client().create(authorization, request)
                .ifNoItem().after(timeout).failWith(() -> unavailable("did not answer within " + timeout))
                .onFailure(failure -> !(failure instanceof GatewayException)).transform(this::refusal)
                .map(answer -> {
                    JsonNode details = answer.path("details");
                    if (!answer.path("token").isTextual() || !details.path("id").isTextual()) {
                        throw unavailable("answered POST /api/tokens without a token and its id");
                    }
                    return new Issued(answer.get("token").asText(), details.get("id").asText(),
                            details.hasNonNull("expiresAt") ? java.time.Instant.parse(details.get("expiresAt").asText())
                                    : null);
                });
    }

    /**
     * Revokes a token; one the scanner does not know (any more) counts as revoked.
     *
     * @param authorization the admin's {@code Authorization} header, sent on
     * @param id            the token's id
     * @return completion; fails with the scanner's refusal or a 503
     */
    Uni<Void> revoke(String authorization, String id) {
        return client().revoke(authorization, id)
                .ifNoItem().after(timeout).failWith(() -> unavailable("did not answer within " + timeout))
                .replaceWithVoid()
                .onFailure(failure -> failure instanceof WebApplicationException e && e.getResponse().getStatus() == 404)
                .recoverWithNull()
                .onFailure(failure -> !(failure instanceof GatewayException)).transform(this::refusal);
    }

    private ScannerTokenApi client() {
        if (api == null) {
            throw new GatewayException(503, GatewayException.API_ERROR, null, "scanner_not_configured",
                    "Keys are API tokens issued by the scanner, and this gateway does not know where the scanner is: "
                            + "set DREP_SCANNER_URL (drep.identity.introspection.url).");
        }
        return api;
    }

    private GatewayException refusal(Throwable failure) {
        if (failure instanceof WebApplicationException refused) {
            int status = refused.getResponse().getStatus();
            String message = message(refused);
            if (status == 400 || status == 401 || status == 403) {
                return new GatewayException(status, status == 400 ? GatewayException.INVALID_REQUEST
                        : status == 401 ? "authentication_error" : "permission_error", null, "scanner_refused",
                        "The scanner, which issues the key's token, refused it (HTTP " + status + "): " + message);
            }
            return unavailable("answered HTTP " + status + (message.isEmpty() ? "" : ": " + message));
        }
        return unavailable("is unreachable (" + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")");
    }

    private static String message(WebApplicationException refused) {
        try {
            String body = refused.getResponse().readEntity(String.class);
            JsonNode json = JSON.readTree(body);
            JsonNode message = json.path("message").isTextual() ? json.path("message")
                    : json.path("error").path("message");
            return message.isTextual() ? message.asText() : body;
        } catch (RuntimeException | java.io.IOException e) {
            return "";
        }
    }

    private GatewayException unavailable(String what) {
        return new GatewayException(503, GatewayException.API_ERROR, null, "scanner_unavailable",
                "The scanner at " + scanner.map(URI::toString).orElse("(not set)") + ", which issues the keys' tokens, "
                        + what + "; nothing was changed, try again shortly.", Duration.ofSeconds(5), null);
    }
}
