package dev.drep.publisher.feedback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.publisher.posting.Markers;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code drep.publisher.learnings.reaction-comments} bounds the reactions read per review: with 2, only the two most
 * recent of drep's three comments on a pull request have their reactions asked for.
 */
@QuarkusTest
@TestProfile(ReactionCommentsBoundTest.TwoComments.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class ReactionCommentsBoundTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    /** At most two comments' reactions per review. */
    public static class TwoComments implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("drep.publisher.learnings.reaction-comments", "2");
        }
    }

    @Inject
    Jobs jobs;

    private final WireMockServer fake = PlatformFakes.server();

    @Test
    void onlyTheMostRecentCommentsHaveTheirReactionsRead() throws Exception {
        String repo = "acme/many-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/repos/" + repo;
        fake.stubFor(post(urlPathEqualTo(api + "/check-runs")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 4001, \"status\": \"in_progress\"}")));
        fake.stubFor(patch(urlPathMatching(api + "/check-runs/\\d+")).willReturn(okJson("{\"id\": 4001}")));
        fake.stubFor(get(urlPathMatching(api + "/commits/[^/]+/check-runs"))
                .willReturn(okJson("{\"total_count\": 0, \"check_runs\": []}")));
        fake.stubFor(post(urlPathMatching(api + "/pulls/\\d+/reviews")).willReturn(okJson("{\"id\": 80}")));
        fake.stubFor(get(urlPathMatching(api + "/issues/\\d+/comments")).willReturn(okJson("[]")));
        fake.stubFor(post(urlPathMatching(api + "/issues/\\d+/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 1001, \"body\": \"...\"}")));
        fake.stubFor(patch(urlPathMatching(api + "/issues/comments/\\d+")).willReturn(okJson("{\"id\": 1001}")));
        fake.stubFor(get(urlPathMatching(api + "/pulls/comments/\\d+/reactions")).willReturn(okJson("[]")));
        List<Finding> findings = List.of(nit("a.md"), nit("b.md"), nit("c.md"));
        review(repo, "head1", findings);
        // oldest first, as GitHub lists them
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/1/comments")).willReturn(okJson(JSON.writeValueAsString(List.of(
                comment(8001, findings.get(0)), comment(8002, findings.get(1)), comment(8003, findings.get(2)))))));
        fake.resetRequests();

        review(repo, "head2", findings);

        assertThat(fake.findAll(getRequestedFor(urlPathMatching(api + "/pulls/comments/\\d+/reactions"))))
                .extracting(r -> r.getUrl().replaceAll("\\?.*", ""))
                .containsExactlyInAnyOrder(api + "/pulls/comments/8002/reactions", api + "/pulls/comments/8003/reactions");
    }

    private void review(String repo, String head, List<Finding> findings) throws Exception {
        String job = jobs.run(ReviewTarget.pullRequest(new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null,
                1, "base1", null, head, PlatformFakes.TOKEN_REF)), null, findings, List.of(), List.of());
        assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);
    }

    private static Map<String, Object> comment(int id, Finding finding) {
        return Map.of("id", id, "user", Map.of("login", "drep-bot", "type", "Bot"), "body",
                Markers.finding(FindingFingerprints.of(List.of(finding)).get(0).fingerprint()) + "\n**info** `"
                        + finding.rule() + "`: trailing whitespace\n");
    }

    private static Finding nit(String path) {
        return new Finding("md.trailing-whitespace", path, 1, Severity.INFO, "trailing whitespace in " + path, null);
    }
}
