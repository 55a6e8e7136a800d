package dev.drep.publisher.feedback;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.drep.publisher.PlatformFakes.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drep.contracts.CommandReply.CommentPlace;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.JustifiedReply;
import dev.drep.contracts.OnIncomplete;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.RepositoryLearnings;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.GitHubFake;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.publisher.posting.Markers;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Learning from feedback (issue 17, item 4): a rule whose findings a repository justified
 * {@code drep.publisher.learnings.suppress-after} (3) times is not commented on inline in the next review of that
 * repository (the summary lists its findings); forgetting a learning lifts it. The platform is WireMock's GitHub.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class LearningsTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String RULE = "md.trailing-whitespace";

    @Inject
    Jobs jobs;

    private final WireMockServer fake = PlatformFakes.server();

    @Test
    void aRuleRejectedThreeTimesIsNotPostedInlineInTheNextReviewOfThatRepositoryUntilALearningIsForgotten()
            throws Exception {
        String repo = "acme/nits-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/repos/" + repo;
        GitHubFake.stubPullRequests(repo);

        // three pull requests, each with a trailing-whitespace finding its author justified
        for (int number = 1; number <= 3; number++) {
            Finding nit = nit("docs/page" + number + ".md");
            PullRequestRef ref = ref(repo, number);
            String job = jobs.run(ReviewTarget.pullRequest(ref), null, List.of(nit), List.of(), List.of());
            assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);
            String thread = String.valueOf(5000 + number);
            fake.stubFor(get(urlPathEqualTo(api + "/pulls/comments/" + thread)).willReturn(okJson(JSON.writeValueAsString(
                    Map.of("id", Integer.parseInt(thread), "body", Markers.finding(fingerprint(nit)) + "\n**info** `"
                            + RULE + "`: trailing whitespace\n")))));
            TestTokens.as(TestTokens.SCANNER_SERVICE).contentType(ContentType.JSON)
                    .body(JSON.writeValueAsString(new JustifiedReply("review_comment:" + (6000 + number), ref,
                            new CommentPlace(CommentPlace.REVIEW_COMMENT, thread, null), "octocat",
                            "Intentional: two trailing spaces are a line break")))
                    .put("/internal/justifications/review_comment:" + (6000 + number)).then().statusCode(200);
        }
        RepositoryLearnings learned = learnings(repo);
        assertThat(learned.learnings()).hasSize(3).allSatisfy(l -> assertThat(l.rule()).isEqualTo(RULE));
        assertThat(learned.rules()).containsExactly(new RepositoryLearnings.RuleTally(RULE, 3, true));

        Finding other = new Finding("md.line-length", "docs/next.md", 4, Severity.WARNING, "line too long", null);
        fake.resetRequests();
        String next = jobs.run(ReviewTarget.pullRequest(ref(repo, 4)), null, List.of(nit("docs/next.md"), other),
                List.of(), List.of());
        assertThat(jobs.awaitFinal(next).status()).isEqualTo(JobStatus.DONE);

        var reviews = fake.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/4/reviews")));
        assertThat(reviews).hasSize(1);
        assertThat(body(reviews.get(0)).path("comments")).extracting(c -> c.path("path").asText())
                .as("only the other rule is commented on").containsExactly("docs/next.md")
                .hasSize(1);
        assertThat(body(reviews.get(0)).path("comments").get(0).path("body").asText()).contains("md.line-length");
        String summary = body(fake.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/4/comments"))).get(0))
                .path("body").asText();
        assertThat(summary).contains("`docs/next.md:1` **info** `" + RULE + "`")
                .contains("rule suppressed in this repository: 3 of its findings were justified (learnings)");

        // forgetting one learning brings the rule under the threshold: the next review comments on it again
        TestTokens.as(TestTokens.SCANNER_SERVICE).queryParams(where(repo))
                .delete("/internal/learnings/" + learned.learnings().get(0).id()).then().statusCode(204);
        TestTokens.as(TestTokens.SCANNER_SERVICE).queryParams(where(repo))
                .delete("/internal/learnings/" + learned.learnings().get(0).id()).then().statusCode(404);
        assertThat(learnings(repo).rules()).containsExactly(new RepositoryLearnings.RuleTally(RULE, 2, false));
        fake.resetRequests();
        String after = jobs.run(ReviewTarget.pullRequest(ref(repo, 5)), null, List.of(nit("docs/last.md")), List.of(),
                List.of());
        assertThat(jobs.awaitFinal(after).status()).isEqualTo(JobStatus.DONE);
        assertThat(fake.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/5/reviews")))).hasSize(1);
    }

    /**
     * A recurring message is suppressed like a rule: the same nit (but for the identifier and the line) justified on
     * three pull requests under three different rules is not commented on inline in the next one, whatever its rule.
     */
    @Test
    void aMessageRejectedThreeTimesUnderDifferentRulesIsNotPostedInlineInTheNextReview() throws Exception {
        String repo = "acme/messages-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/repos/" + repo;
        GitHubFake.stubPullRequests(repo);
        for (int number = 1; number <= 3; number++) {
            Finding nit = new Finding("llm.category" + number, "src/file" + number + ".py", 2 + number,
                    Severity.WARNING, "Variable `tmp" + number + "` on line " + (2 + number) + " is unused.", null);
            PullRequestRef ref = ref(repo, number);
            String job = jobs.run(ReviewTarget.pullRequest(ref), null, List.of(nit), List.of(), List.of());
            assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);
            String thread = String.valueOf(5100 + number);
            fake.stubFor(get(urlPathEqualTo(api + "/pulls/comments/" + thread)).willReturn(okJson(JSON.writeValueAsString(
                    Map.of("id", Integer.parseInt(thread), "body", Markers.finding(fingerprint(nit)) + "\n**warning** `"
                            + nit.rule() + "`: unused\n")))));
            TestTokens.as(TestTokens.SCANNER_SERVICE).contentType(ContentType.JSON)
                    .body(JSON.writeValueAsString(new JustifiedReply("review_comment:" + (6100 + number), ref,
                            new CommentPlace(CommentPlace.REVIEW_COMMENT, thread, null), "octocat",
                            "Intentional: kept for the debugger")))
                    .put("/internal/justifications/review_comment:" + (6100 + number)).then().statusCode(200);
        }
        RepositoryLearnings learned = learnings(repo);
        assertThat(learned.rules()).allSatisfy(rule -> assertThat(rule.suppressed()).isFalse());
        assertThat(learned.messages()).containsExactly(
                new RepositoryLearnings.MessageTally("variable `…` on line 0 is unused", 3, true));

        Finding again = new Finding("llm.maintainability", "src/next.py", 7, Severity.WARNING,
                "variable `count` on line 7 is unused", null);
        Finding other = new Finding("llm.bug", "src/next.py", 9, Severity.WARNING, "off by one", null);
        fake.resetRequests();
        String next = jobs.run(ReviewTarget.pullRequest(ref(repo, 4)), null, List.of(again, other), List.of(),
                List.of());
        assertThat(jobs.awaitFinal(next).status()).isEqualTo(JobStatus.DONE);

        var reviews = fake.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/4/reviews")));
        assertThat(reviews).hasSize(1);
        assertThat(body(reviews.get(0)).path("comments")).hasSize(1);
        assertThat(body(reviews.get(0)).path("comments").get(0).path("body").asText()).contains("off by one");
        String summary = body(fake.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/4/comments"))).get(0))
                .path("body").asText();
        assertThat(summary).contains("`src/next.py:7` **warning** `llm.maintainability`")
                .contains("message suppressed in this repository: 3 findings with this message were justified (learnings)");
    }

    /** {@code .drep.yaml} {@code suppress-rules}: the same suppression by configuration, with no learning at all. */
    @Test
    void aRuleListedInSuppressRulesIsNotPostedInlineButListedInTheSummary() throws Exception {
        String repo = "acme/configured-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/repos/" + repo;
        GitHubFake.stubPullRequests(repo);
        PublishSettings settings = new PublishSettings(Severity.INFO, 50, Severity.ERROR, OnIncomplete.FAILURE, 10,
                List.of(RULE));
        Finding other = new Finding("md.line-length", "docs/next.md", 4, Severity.WARNING, "line too long", null);

        String job = jobs.run(ReviewTarget.pullRequest(ref(repo, 1)), settings, List.of(nit("docs/next.md"), other),
                List.of(), List.of());
        assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);

        var reviews = fake.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/1/reviews")));
        assertThat(reviews).hasSize(1);
        assertThat(body(reviews.get(0)).path("comments")).hasSize(1);
        assertThat(body(reviews.get(0)).path("comments").get(0).path("body").asText()).contains("md.line-length");
        String summary = body(fake.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/1/comments"))).get(0))
                .path("body").asText();
        assertThat(summary).contains("`docs/next.md:1` **info** `" + RULE + "`");
    }

    @Test
    void anotherRepositorysLearningsDoNotApplyAndTheRepositoryMustBeNamed() {
        assertThat(learnings("acme/untouched-" + UUID.randomUUID().toString().substring(0, 8)).learnings()).isEmpty();
        TestTokens.as(TestTokens.SCANNER_SERVICE).get("/internal/learnings").then().statusCode(400);
    }

    private static Finding nit(String path) {
        return new Finding(RULE, path, 1, Severity.INFO, "trailing whitespace", null);
    }

    private static PullRequestRef ref(String repo, int number) {
        return new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null, number, "base" + number, null,
                "head" + number, PlatformFakes.TOKEN_REF);
    }

    private static Map<String, String> where(String repo) {
        return Map.of("platform", "github", "apiUrl", PlatformFakes.baseUrl(), "repository", repo);
    }

    private static RepositoryLearnings learnings(String repo) {
        return TestTokens.as(TestTokens.SCANNER_SERVICE).queryParams(where(repo)).get("/internal/learnings").then()
                .statusCode(200).extract().as(RepositoryLearnings.class);
    }

    private static String fingerprint(Finding finding) {
        return FindingFingerprints.of(List.of(finding)).get(0).fingerprint();
    }
}
