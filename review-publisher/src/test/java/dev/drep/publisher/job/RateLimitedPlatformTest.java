package dev.drep.publisher.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One platform that rate-limits must not hold up the others: posting holds no database connection while it
 * waits, so a publisher whose pool has only two connections still posts another job's review at once.
 */
@QuarkusTest
@TestProfile(RateLimitedPlatformTest.TwoConnections.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class RateLimitedPlatformTest {
    /** The test's rate limit: each answer asks for this wait, which is the longest the publisher waits in place. */
    private static final int RETRY_AFTER_SECONDS = 3;

    /**
     * The publisher's reactive pool shrunk to two connections, and a claim lease shorter than a post that waits
     * out three rate limits (20 s less the 5 s margin is 15 s; each request needs its 5 s timeout + 1 s left).
     */
    public static class TwoConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "2", "drep.publisher.claim.lease", "20s");
        }
    }

    @Inject
    Jobs jobs;

    private final WireMockServer github = PlatformFakes.server();

    @Test
    void aPlatformThatRateLimitsDoesNotDelayAnotherJobsPublication() throws Exception {
        String limited = "acme/limited-" + UUID.randomUUID().toString().substring(0, 8);
        String healthy = "acme/healthy-" + UUID.randomUUID().toString().substring(0, 8);
        stubPullRequest(limited, 1);
        stubPullRequest(healthy, 2);
        // every request to the limited repository's pull request is answered "wait 3 s" (the longest wait done in
        // place, three times per request, before the post is deferred): it keeps waiting for as long as the test runs
        github.stubFor(post(urlPathEqualTo("/repos/" + limited + "/pulls/1/reviews")).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"You have exceeded a secondary rate limit.\"}")));
        Finding tab = new Finding("md.tab", "README.md", 2, Severity.WARNING, "tab character", null);

        String waiting = jobs.run(target(limited, 1), null, List.of(tab), List.of(), List.of());
        Jobs.await(() -> !github.findAll(postRequestedFor(urlPathEqualTo("/repos/" + limited + "/pulls/1/reviews")))
                .isEmpty());

        Instant sent = Instant.now();
        String other = jobs.run(target(healthy, 2), null, List.of(tab), List.of(), List.of());
        assertThat(jobs.awaitFinal(other).status()).isEqualTo(JobStatus.DONE);
        Duration took = Duration.between(sent, Instant.now());

        List<LoggedRequest> limitedPosts = github.findAll(postRequestedFor(
                urlPathEqualTo("/repos/" + limited + "/pulls/1/reviews")));
        assertThat(took).as("the healthy platform's review is posted while the other one waits out its rate limit")
                .isLessThan(Duration.ofSeconds(RETRY_AFTER_SECONDS * 2 - 1));
        assertThat(limitedPosts).as("the rate-limited review is still waiting").hasSizeLessThan(4);
        assertThat(jobs.finalEvents(waiting)).isZero();
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo("/repos/" + healthy + "/issues/2/comments"))))
                .hasSize(1);
    }

    @Test
    void aPostThatWaitsLongerThanItsLeaseAllowsKeepsItsClaimByRenewingIt() throws Throwable {
        String limited = "acme/slow-" + UUID.randomUUID().toString().substring(0, 8);
        stubPullRequest(limited, 3);
        github.stubFor(post(urlPathEqualTo("/repos/" + limited + "/pulls/3/reviews")).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"You have exceeded a secondary rate limit.\"}")));

        String jobId = jobs.run(target(limited, 3), null,
                List.of(new Finding("md.tab", "README.md", 2, Severity.WARNING, "tab character", null)), List.of(),
                List.of());
        Jobs.await(() -> {
            try {
                return jobs.stored(jobId).attempts > 0;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });

        // the fourth request comes 9 s after the claim, when an unrenewed lease would have had 6 s left: too little
        TrackedJob deferred = jobs.stored(jobId);
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo("/repos/" + limited + "/pulls/3/reviews"))))
                .hasSizeGreaterThanOrEqualTo(4);
        assertThat(deferred.message).contains("rate limited").doesNotContain("claim");
        assertThat(deferred.stage).isEqualTo(TrackedJob.Stage.PUBLISHING);
        assertThat(deferred.claimedBy).as("given up when the deferral was recorded").isNull();
    }

    private static ReviewTarget target(String repo, int number) {
        return ReviewTarget.pullRequest(new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null, number, "base0",
                null, "head" + number, PlatformFakes.TOKEN_REF));
    }

    /** The answers of a healthy GitHub for pull request {@code n} of {@code repo}. */
    private void stubPullRequest(String repo, int n) {
        String api = "/repos/" + repo;
        String web = "https://github.com/" + repo;
        github.stubFor(post(urlPathEqualTo(api + "/check-runs")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": 4001, \"name\": \"drep\", \"status\": \"in_progress\"}")));
        github.stubFor(patch(urlPathMatching(api + "/check-runs/\\d+")).willReturn(okJson(
                "{\"id\": 4001, \"name\": \"drep\", \"status\": \"completed\"}")));
        github.stubFor(get(urlPathMatching(api + "/commits/[^/]+/check-runs"))
                .willReturn(okJson("{\"total_count\": 0, \"check_runs\": []}")));
        github.stubFor(post(urlPathEqualTo(api + "/pulls/" + n + "/reviews")).atPriority(5).willReturn(okJson("{\"id\": 80,"
                + " \"user\": {\"login\": \"drep-bot\", \"id\": 1}, \"body\": \"\", \"state\": \"COMMENTED\","
                + " \"html_url\": \"" + web + "/pull/" + n + "#pullrequestreview-80\", \"commit_id\": \"head\"}")));
        github.stubFor(get(urlPathEqualTo(api + "/pulls/" + n + "/comments")).willReturn(okJson("[]")));
        github.stubFor(get(urlPathEqualTo(api + "/issues/" + n + "/comments")).willReturn(okJson("[]")));
        github.stubFor(post(urlPathEqualTo(api + "/issues/" + n + "/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": 1001, \"html_url\": \"" + web + "/pull/" + n + "#issuecomment-1001\", \"body\": \"...\","
                        + " \"user\": {\"login\": \"drep-bot\"}}")));
    }
}
