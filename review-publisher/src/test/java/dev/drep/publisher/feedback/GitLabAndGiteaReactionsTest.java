package dev.drep.publisher.feedback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.drep.publisher.PlatformFakes.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.RepositoryLearnings;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.publisher.posting.Markers;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * 👎 on three findings of a rule, then the next pull request of the repository gets no inline comment for it, on
 * GitLab (note award emoji {@code thumbsdown}) and Gitea (comment reactions {@code -1}); drep's own 👎 (the comment's
 * author) is there too and does not count. WireMock plays both platforms.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class GitLabAndGiteaReactionsTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String RULE = "md.trailing-whitespace";
    private static final String DREP = "drep-bot";

    @Inject
    Jobs jobs;

    private final WireMockServer fake = PlatformFakes.server();

    @Test
    void thumbsDownOnGitlabNotesSuppressesTheRuleInTheNextMergeRequest() throws Exception {
        String repo = "acme/gl-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        fake.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 93, \"status\": \"pending\"}")));
        for (int number = 1; number <= 4; number++) {
            String mr = api + "/merge_requests/" + number;
            fake.stubFor(post(urlPathEqualTo(mr + "/discussions")).willReturn(aResponse().withStatus(201)
                    .withHeader("Content-Type", "application/json").withBody("{\"id\": \"d-" + number + "\","
                            + " \"individual_note\": false, \"notes\": [{\"id\": " + (900 + number) + ", \"type\":"
                            + " \"DiffNote\", \"body\": \"...\", \"system\": false}]}")));
            fake.stubFor(get(urlPathEqualTo(mr + "/notes")).willReturn(okJson("[]")));
            fake.stubFor(post(urlPathEqualTo(mr + "/notes")).willReturn(aResponse().withStatus(201)
                    .withHeader("Content-Type", "application/json").withBody("{\"id\": " + (300 + number)
                            + ", \"body\": \"...\", \"system\": false}")));
            fake.stubFor(put(urlPathEqualTo(mr + "/notes/" + (300 + number))).willReturn(okJson("{\"id\": "
                    + (300 + number) + ", \"body\": \"...\"}")));
        }
        for (int number = 1; number <= 3; number++) {
            String mr = api + "/merge_requests/" + number;
            Finding nit = nit("docs/page" + number + ".md");
            review(ref("gitlab", repo, number, "head" + number), nit);
            int note = 900 + number;
            // GET .../notes: drep's diff note (its author is drep's user) and the summary
            fake.stubFor(get(urlPathEqualTo(mr + "/notes")).willReturn(okJson(JSON.writeValueAsString(List.of(
                    Map.of("id", note, "type", "DiffNote", "system", false, "author", Map.of("username", DREP),
                            "body", drepsBody(nit)),
                    Map.of("id", 300 + number, "system", false, "author", Map.of("username", DREP), "body",
                            "<!-- drep:summary -->"))))));
            fake.stubFor(get(urlPathEqualTo(mr + "/notes/" + note + "/award_emoji")).willReturn(okJson(
                    JSON.writeValueAsString(List.of(award("thumbsdown", "maria"), award("thumbsdown", DREP),
                            award("rocket", "octocat"))))));
            review(ref("gitlab", repo, number, "head" + number + "b"), nit);
        }
        assertSuppressed(learnings("gitlab", repo), "maria");

        Finding other = new Finding("md.line-length", "docs/next.md", 4, Severity.WARNING, "line too long", null);
        fake.resetRequests();
        review(ref("gitlab", repo, 4, "head4"), nit("docs/next.md"), other);
        var discussions = fake.findAll(postRequestedFor(urlPathEqualTo(api + "/merge_requests/4/discussions")));
        assertThat(discussions).hasSize(1);
        assertThat(body(discussions.get(0)).path("body").asText()).contains("md.line-length");
    }

    @Test
    void thumbsDownOnGiteaReviewCommentsSuppressesTheRuleInTheNextPullRequest() throws Exception {
        String repo = "acme/gt-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v1/repos/" + repo;
        fake.stubFor(get(urlPathEqualTo("/api/v1/version")).willReturn(okJson("{\"version\": \"1.21.4\"}")));
        fake.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 1, \"status\": \"pending\"}")));
        fake.stubFor(post(urlPathMatching(api + "/pulls/\\d+/reviews")).willReturn(okJson("{\"id\": 91, \"state\":"
                + " \"COMMENT\"}")));
        fake.stubFor(get(urlPathMatching(api + "/pulls/\\d+/reviews")).willReturn(okJson("[]")));
        fake.stubFor(get(urlPathMatching(api + "/issues/\\d+/comments")).willReturn(okJson("[]")));
        fake.stubFor(post(urlPathMatching(api + "/issues/\\d+/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 2002, \"body\": \"...\"}")));
        fake.stubFor(patch(urlPathMatching(api + "/issues/comments/\\d+")).willReturn(okJson("{\"id\": 2002,"
                + " \"body\": \"...\"}")));
        for (int number = 1; number <= 3; number++) {
            Finding nit = nit("docs/page" + number + ".md");
            review(ref("gitea", repo, number, "head" + number), nit);
            int review = 90 + number;
            int comment = 9500 + number;
            fake.stubFor(get(urlPathEqualTo(api + "/pulls/" + number + "/reviews")).willReturn(okJson(
                    "[{\"id\": " + review + ", \"body\": \"<!-- drep:review -->\"}]")));
            fake.stubFor(get(urlPathEqualTo(api + "/pulls/" + number + "/reviews/" + review + "/comments"))
                    .willReturn(okJson(JSON.writeValueAsString(List.of(Map.of("id", comment, "path", nit.path(),
                            "user", Map.of("login", DREP), "body", drepsBody(nit)))))));
            fake.stubFor(get(urlPathEqualTo(api + "/issues/comments/" + comment + "/reactions")).willReturn(okJson(
                    JSON.writeValueAsString(List.of(reaction("-1", "maria"), reaction("-1", DREP))))));
            review(ref("gitea", repo, number, "head" + number + "b"), nit);
        }
        assertSuppressed(learnings("gitea", repo), "maria");

        Finding other = new Finding("md.line-length", "docs/next.md", 4, Severity.WARNING, "line too long", null);
        fake.resetRequests();
        review(ref("gitea", repo, 4, "head4"), nit("docs/next.md"), other);
        var reviews = fake.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/4/reviews")));
        assertThat(reviews).hasSize(1);
        assertThat(body(reviews.get(0)).path("comments")).hasSize(1);
        assertThat(body(reviews.get(0)).path("comments").get(0).path("body").asText()).contains("md.line-length");
    }

    private static void assertSuppressed(RepositoryLearnings learned, String author) {
        assertThat(learned.learnings()).hasSize(3).allSatisfy(l -> {
            assertThat(l.kind()).isEqualTo("reaction");
            assertThat(l.author()).isEqualTo(author);
            assertThat(l.rule()).isEqualTo(RULE);
        });
        assertThat(learned.rules()).containsExactly(new RepositoryLearnings.RuleTally(RULE, 3, true));
    }

    private void review(PullRequestRef ref, Finding... findings) throws Exception {
        String job = jobs.run(ReviewTarget.pullRequest(ref), null, List.of(findings), List.of(), List.of());
        assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);
    }

    private static String drepsBody(Finding finding) {
        return Markers.finding(FindingFingerprints.of(List.of(finding)).get(0).fingerprint()) + "\n**info** `" + RULE
                + "`: trailing whitespace\n";
    }

    private static Map<String, Object> award(String name, String user) {
        return Map.of("id", UUID.randomUUID().hashCode(), "name", name, "user", Map.of("username", user));
    }

    private static Map<String, Object> reaction(String content, String user) {
        return Map.of("content", content, "user", Map.of("login", user));
    }

    private static Finding nit(String path) {
        return new Finding(RULE, path, 1, Severity.INFO, "trailing whitespace", null);
    }

    private static PullRequestRef ref(String platform, String repo, int number, String head) {
        return new PullRequestRef(platform, PlatformFakes.baseUrl(), repo, null, number, "base" + number,
                "start" + number, head, PlatformFakes.TOKEN_REF);
    }

    private static RepositoryLearnings learnings(String platform, String repo) {
        return TestTokens.as(TestTokens.SCANNER_SERVICE)
                .queryParams(Map.of("platform", platform, "apiUrl", PlatformFakes.baseUrl(), "repository", repo))
                .get("/internal/learnings").then().statusCode(200).extract().as(RepositoryLearnings.class);
    }
}
