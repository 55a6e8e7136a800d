package dev.drep.scanner;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Stands in for the review-publisher's internal API ({@code PUT /internal/jobs/{id}} answers 204). */
public class PublisherStubResource implements QuarkusTestResourceLifecycleManager {
    static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(WireMock.put(WireMock.urlPathMatching("/internal/jobs/.*")).willReturn(WireMock.noContent()));
        return Map.of("quarkus.rest-client.review-publisher.url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
