package dev.drep.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.testsupport.http.TestHttpClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/** Calls to a service of a {@code drep up} stack with the admin token the stack wrote into its data folder. */
final class StackCalls {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StackCalls() {
    }

    /**
     * @param data     the stack's data folder (it holds {@code admin-token})
     * @param service  the service's base URL
     * @param body     the JSON body, or null for none
     * @param expected the status the call must answer
     * @return the answer's JSON
     */
    static JsonNode call(TestHttpClient http, Path data, URI service, String method, String path, Object body,
            int expected) throws Exception {
        String token = Files.readString(data.resolve("admin-token")).strip();
        HttpRequest.Builder request = HttpRequest.newBuilder(service.resolve(path))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }
}
