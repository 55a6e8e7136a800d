package dev.drep.scanner;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Stands in for the review-publisher's internal API ({@code PUT /internal/jobs/{id}} answers 204) and for
 * the platforms' APIs the tests stub on it.
 */
public class PublisherStubResource implements QuarkusTestResourceLifecycleManager {
    static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(WireMock.put(WireMock.urlPathMatching("/internal/jobs/.*")).willReturn(WireMock.noContent()));
        // the same server stands in for the platforms' APIs: bind the tests' token reference to it and to
        // the made-up hosts the registration tests use
        return Map.of("quarkus.rest-client.review-publisher.url", server.baseUrl(),
                // and for the LLM gateway (/drep ask)
                "quarkus.rest-client.llm-gateway.url", server.baseUrl(),
                "drep.platform-access.bindings.test-token.api-urls", server.baseUrl()
                        + ",https://api.github.com,https://gitea.example,https://gitlab.example",
                "drep.platform-access.bindings.test-token.git-hosts", "github.com,gitea.example,gitlab.example");
    }

    /** @return the stub, for tests outside this package */
    public static WireMockServer server() {
        return server;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
