package dev.drep.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/**
 * One WireMock server standing in for Gitea ({@code /api/v1/...}), GitHub ({@code /repos/...}) and
 * GitLab ({@code /api/v4/...}); tests isolate themselves with fresh repository names. Also the token
 * the tests post with (bound to this server only), and short retry timings.
 */
public class PlatformFakes implements QuarkusTestResourceLifecycleManager {
    /** The token behind tokenRef {@value #TOKEN_REF}; tests assert it is sent and never leaks. */
    public static final String TOKEN = "drep-test-secret-7f3a9c1e5b";
    /** The tokenRef plans use. */
    public static final String TOKEN_REF = "fake-token";
    /** The Gitea body limit configured for the tests (small, so that cutting is easy to provoke). */
    public static final int GITEA_LIMIT = 3000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.ofEntries(
                Map.entry("drep.secrets." + TOKEN_REF, TOKEN),
                Map.entry("drep.platform-access.bindings." + TOKEN_REF + ".api-urls", server.baseUrl()),
                Map.entry("drep.publisher.retry.attempts", "2"),
                Map.entry("drep.publisher.retry.backoff", "100ms"),
                Map.entry("drep.publisher.retry.max-wait", "3s"),
                Map.entry("drep.publisher.retry.interval", "1s"),
                Map.entry("drep.publisher.retry.deferral", "1s"),
                Map.entry("drep.publisher.retry.max-deferral", "2s"),
                Map.entry("drep.publisher.retry.max-deferrals", "10"),
                Map.entry("drep.publisher.http.timeout", "5s"),
                Map.entry("drep.publisher.gitea.max-body-length", String.valueOf(GITEA_LIMIT)));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** @return the running server */
    public static WireMockServer server() {
        return server;
    }

    /** @return its base URL, e.g. {@code http://127.0.0.1:41234} */
    public static String baseUrl() {
        return server.baseUrl();
    }

    /** @return the one request the server received that matches {@code pattern}; fails unless there is exactly one */
    public static LoggedRequest single(RequestPatternBuilder pattern) {
        List<LoggedRequest> requests = server.findAll(pattern);
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    /** @return the request's body as JSON */
    public static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
