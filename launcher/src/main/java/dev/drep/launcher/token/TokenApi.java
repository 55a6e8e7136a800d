package dev.drep.launcher.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.contracts.ErrorBody;
import dev.drep.launcher.Json;
import dev.drep.launcher.LauncherException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The scanner's {@code /api/tokens} as {@code drep token} uses it: JSON in, JSON out, errors as the scanner words them. */
final class TokenApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TokenApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    URI base() {
        return base;
    }

    JsonNode create(Object body) throws LauncherException, InterruptedException {
        try {
            return send(request("/api/tokens").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))), "create the token");
        } catch (JsonProcessingException e) {
            throw new LauncherException("Could not write the token request: " + e.getMessage(), e);
        }
    }

    JsonNode list() throws LauncherException, InterruptedException {
        return send(request("/api/tokens").GET(), "list the tokens");
    }

    JsonNode revoke(String id) throws LauncherException, InterruptedException {
        return send(request("/api/tokens/" + URLEncoder.encode(id, StandardCharsets.UTF_8)).DELETE(), "revoke token " + id);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest.Builder request, String what) throws LauncherException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LauncherException("Could not reach the scanner at " + base + " to " + what + ": " + e.getMessage(), e);
        }
        try {
            if (response.statusCode() / 100 == 2) {
                return Json.MAPPER.readTree(response.body());
            }
            ErrorBody error = Json.MAPPER.readValue(response.body(), ErrorBody.class);
            throw new LauncherException("The scanner refused to " + what + " (HTTP " + response.statusCode() + "): "
                    + error.message());
        } catch (JsonProcessingException e) {
            throw new LauncherException("The scanner answered HTTP " + response.statusCode() + " when asked to " + what
                    + ", not in JSON.", e);
        }
    }
}
