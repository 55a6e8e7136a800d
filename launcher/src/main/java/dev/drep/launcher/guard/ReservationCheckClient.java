package dev.drep.launcher.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drep.contracts.ErrorBody;
import dev.drep.contracts.PathConflict;
import dev.drep.contracts.ReservationCheckRequest;
import dev.drep.contracts.ReservationCheckResult;
import dev.drep.launcher.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The scanner's {@code POST /api/repositories/{repository}/reservations/check}, as the guard uses it. Large
 * changes go in several requests (the scanner takes up to 10,000 paths per request). Timeouts are short: a
 * commit must not hang on an unreachable server.
 */
final class ReservationCheckClient {
    static final int PATHS_PER_REQUEST = 1000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();

    /** The API could not be asked or did not answer usefully. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    ReservationCheckClient(URI baseUrl, String token) {
        this.token = token;
        this.baseUrl = baseUrl;
    }

    /** @return the conflicts of all {@code paths} for {@code holder} (null: nobody's) in {@code repository} */
    List<PathConflict> check(String repository, String holder, List<String> paths) throws Unavailable, InterruptedException {
        URI uri = URI.create(baseUrl + "/api/repositories/" + URLEncoder.encode(repository, StandardCharsets.UTF_8)
                .replace("+", "%20") + "/reservations/check");
        List<PathConflict> conflicts = new ArrayList<>();
        for (int from = 0; from < paths.size(); from += PATHS_PER_REQUEST) {
            List<String> slice = paths.subList(from, Math.min(paths.size(), from + PATHS_PER_REQUEST));
            conflicts.addAll(send(uri, holder, slice));
        }
        return conflicts;
    }

    private List<PathConflict> send(URI uri, String holder, List<String> paths) throws Unavailable, InterruptedException {
        String body;
        try {
            body = Json.MAPPER.writeValueAsString(new ReservationCheckRequest(holder, paths));
        } catch (JsonProcessingException e) {
            throw new Unavailable("could not write the check request: " + e.getMessage(), e);
        }
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Unavailable("could not reach drep at " + baseUrl + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (response.statusCode() != 200) {
            throw new Unavailable("drep at " + baseUrl + " answered HTTP " + response.statusCode() + errorText(response.body()),
                    null);
        }
        try {
            ReservationCheckResult result = Json.MAPPER.readValue(response.body(), ReservationCheckResult.class);
            return result == null || result.conflicts() == null ? List.of() : result.conflicts();
        } catch (JsonProcessingException e) {
            throw new Unavailable("drep at " + baseUrl + " answered something that is not a reservation check", e);
        }
    }

    private static String errorText(String body) {
        try {
            ErrorBody error = Json.MAPPER.readValue(body, ErrorBody.class);
            return error != null && error.message() != null ? ": " + error.message() : "";
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return "";
        }
    }
}
