package dev.drep.launcher.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drep.contracts.ErrorBody;
import dev.drep.contracts.JobView;
import dev.drep.contracts.ReviewRequest;
import dev.drep.launcher.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The scanner's public API as the CLI uses it: submit a review, look at a job. */
public final class ScannerClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:8081}
     * @param token   the bearer token sent with every call (the local stack's admin token)
     */
    public ScannerClient(URI baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** @return the scanner's base URL */
    public URI baseUrl() {
        return baseUrl;
    }

    /** {@code POST /api/reviews}; @return the accepted job */
    public JobView submit(ReviewRequest request) throws ApiException, InterruptedException {
        String body;
        try {
            body = Json.MAPPER.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new ApiException("Could not write the review request: " + e.getMessage(), 0, e);
        }
        HttpRequest http = HttpRequest.newBuilder(baseUrl.resolve("/api/reviews"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(http, "submit the review");
    }

    /** {@code GET /api/jobs/{id}} */
    public JobView job(String id) throws ApiException, InterruptedException {
        HttpRequest http = HttpRequest.newBuilder(
                        baseUrl.resolve("/api/jobs/" + URLEncoder.encode(id, StandardCharsets.UTF_8)))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        return send(http, "read job " + id);
    }

    private JobView send(HttpRequest request, String what) throws ApiException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException("Could not reach the scanner at " + baseUrl + " to " + what + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), 0, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                JobView job = Json.MAPPER.readValue(response.body(), JobView.class);
                if (job == null || job.id() == null) {
                    throw new ApiException("The scanner's answer to " + what + " has no job id: " + abbreviate(response.body()),
                            status, null);
                }
                return job;
            } catch (JsonProcessingException e) {
                throw new ApiException("The scanner's answer to " + what + " is not a job: " + abbreviate(response.body()),
                        status, e);
            }
        }
        ErrorBody error = errorBody(response.body());
        if (status >= 400 && status < 500 && error != null && error.message() != null) {
            // the scanner's message names the input at fault and what to do
            throw new ApiException("The scanner refused to " + what + ": " + error.message(), status, null);
        }
        throw new ApiException("The scanner answered HTTP " + status + " when asked to " + what
                + (error != null && error.message() != null ? ": " + error.message()
                        : response.body().isBlank() ? "" : ": " + abbreviate(response.body())), status, null);
    }

    private static ErrorBody errorBody(String body) {
        try {
            return body == null || body.isBlank() ? null : Json.MAPPER.readValue(body, ErrorBody.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
