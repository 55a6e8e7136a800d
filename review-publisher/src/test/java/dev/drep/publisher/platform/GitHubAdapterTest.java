package dev.drep.publisher.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.PullRequestRef;
import dev.drep.core.platform.AccessAllowances;
import dev.drep.core.platform.HostBinding;
import dev.drep.core.platform.HostResolver;
import dev.drep.core.platform.HostRules;
import dev.drep.publisher.metrics.PublisherMetrics;
import dev.drep.publisher.platform.github.GitHubPlatform;
import dev.drep.testsupport.http.CapturingListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GitHub adapter outside Quarkus, for settings the Quarkus tests do not use: commit statuses
 * instead of check runs ({@code drep.publisher.github.status-api=commit-status}, for tokens that may
 * not create check runs), and a GitHub that cannot be reached.
 */
class GitHubAdapterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer server;
    private static Vertx vertx;
    private static GitHubPlatform github;
    private static final int MAX_ANSWER = 64 * 1024;

    @BeforeAll
    static void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        vertx = Vertx.vertx();
        // Quarkus's duration syntax ("30s") comes with Quarkus's converter
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(PublisherConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValue("drep.publisher.github.status-api", "commit-status").build();
        PublisherConfig publisher = config.getConfigMapping(PublisherConfig.class);
        // the token reference "bot" is bound to this server (and to the unreachable port below); answers up to 64 KiB
        PlatformAccess access = new PlatformAccess(new HostRules(Map.of("bot", new HostBinding(
                List.of(server.baseUrl(), "http://127.0.0.1:1"), List.of())), new AccessAllowances(false, true, true),
                HostResolver.SYSTEM), MAX_ANSWER);
        github = new GitHubPlatform(new PlatformHttp(vertx, JSON, publisher, new PublisherMetrics(new SimpleMeterRegistry()),
                access), publisher);
    }

    @AfterAll
    static void stop() {
        server.stop();
        vertx.closeAndAwait();
    }

    private static PlatformTarget target(String apiUrl) {
        return new PlatformTarget(new PullRequestRef("github", apiUrl, "acme/docs", null, 3, "base", null, "abc123",
                "bot"), "t0ken-value", Duration.ZERO, Duration.ofSeconds(2));
    }

    @Test
    void withTheCommitStatusApiTheVerdictIsACommitStatusOnTheHead() throws Exception {
        server.stubFor(post(urlPathEqualTo("/repos/acme/docs/statuses/abc123")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 1, \"state\": \"failure\","
                        + " \"context\": \"drep\", \"description\": \"2 findings at or above error\"}")));

        assertThat(github.setStatus(target(server.baseUrl()), "abc123", CommitState.FAILURE,
                "2 findings at or above error", null)).isNull();

        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlPathEqualTo("/repos/acme/docs/statuses/abc123")));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getHeader("Authorization")).isEqualTo("Bearer t0ken-value");
        JsonNode status = JSON.readTree(requests.get(0).getBodyAsString());
        assertThat(status.path("state").asText()).isEqualTo("failure");
        assertThat(status.path("context").asText()).isEqualTo("drep");
        assertThat(status.path("description").asText()).isEqualTo("2 findings at or above error");
    }

    @Test
    void anAnswerOverTheSizeLimitFailsTheRequestNamingTheSetting() {
        server.stubFor(post(urlPathEqualTo("/repos/acme/docs/issues/4/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": 1, \"body\": \"" + "x".repeat(MAX_ANSWER * 2) + "\"}")));
        PlatformTarget target = new PlatformTarget(new PullRequestRef("github", server.baseUrl(), "acme/docs", null, 4, "base",
                null, "abc123", "bot"), "t0ken-value", Duration.ZERO, Duration.ofSeconds(5));
        assertThatThrownBy(() -> github.createComment(target, "body"))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.kind()).isEqualTo(PlatformException.Kind.FAILED);
                    assertThat(e.getMessage()).contains("larger than " + MAX_ANSWER + " bytes")
                            .contains("drep.platform-access.max-response-size");
                });
    }

    @Test
    void aRequestToAHostTheTokenIsNotBoundToIsNeverSent() throws Exception {
        try (CapturingListener listener = CapturingListener.start()) {
            PlatformTarget target = new PlatformTarget(new PullRequestRef("github", listener.baseUrl(), "acme/docs", null, 5,
                    "base", null, "abc123", "bot"), "t0ken-value", Duration.ZERO, Duration.ofSeconds(5));
            assertThatThrownBy(() -> github.createComment(target, "body"))
                    .isInstanceOfSatisfying(PlatformException.class, e -> {
                        assertThat(e.kind()).isEqualTo(PlatformException.Kind.FAILED);
                        assertThat(e.getMessage()).contains("token binding").contains("drep.platform-access.bindings.bot");
                    });
            assertThat(listener.requests()).isEmpty();
        }
    }

    @Test
    void aGitHubThatCannotBeReachedIsUnavailable() {
        assertThatThrownBy(() -> github.createComment(target("http://127.0.0.1:1"), "body"))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.kind()).isEqualTo(PlatformException.Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).startsWith("github: POST /repos/acme/docs/issues/3/comments failed:")
                            .doesNotContain("t0ken-value");
                });
    }
}
