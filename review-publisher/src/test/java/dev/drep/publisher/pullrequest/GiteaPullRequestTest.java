package dev.drep.publisher.pullrequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.drep.publisher.PlatformFakes.body;
import static dev.drep.publisher.PlatformFakes.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobFailure;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.OnIncomplete;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.publisher.UntrustedAnswers;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.publisher.posting.Markers;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.commonmark.node.FencedCodeBlock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reviews posted on Gitea pull requests, against a WireMock Gitea answering with the shapes of Gitea's
 * API v1 (swagger): pull reviews, issue comments, commit statuses, {@code /version}.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class GiteaPullRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Jobs jobs;

    private final WireMockServer gitea = PlatformFakes.server();
    private String repo;

    @BeforeEach
    void freshRepository() {
        repo = "acme/wiki-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aReviewUsesNewPositionsAndTheStatusGoesFromPendingToSuccess() throws Exception {
        String api = stub("", "1.21.4", 4);
        Finding finding = new Finding("md.trailing-whitespace", "README.md", 3, Severity.WARNING, "trailing whitespace",
                "# Title");
        String jobId = jobs.run(target("", 4, "head4"), null, List.of(finding), List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        List<LoggedRequest> statuses = gitea.findAll(postRequestedFor(urlPathEqualTo(api + "/statuses/head4")));
        assertThat(statuses).hasSize(2);
        assertThat(statuses).allMatch(r -> ("token " + PlatformFakes.TOKEN).equals(r.getHeader("Authorization")));
        assertThat(body(statuses.get(0)).path("state").asText()).isEqualTo("pending");
        assertThat(body(statuses.get(0)).path("context").asText()).isEqualTo("drep");
        assertThat(body(statuses.get(1)).path("state").asText()).isEqualTo("success");
        assertThat(body(statuses.get(1)).path("description").asText()).isEqualTo("no findings at or above error");

        LoggedRequest reviewRequest = single(postRequestedFor(urlPathEqualTo(api + "/pulls/4/reviews")));
        assertThat(reviewRequest.getHeader("Authorization")).isEqualTo("token " + PlatformFakes.TOKEN);
        JsonNode review = body(reviewRequest);
        assertThat(review.path("commit_id").asText()).isEqualTo("head4");
        assertThat(review.path("event").asText()).isEqualTo("COMMENT");
        JsonNode comment = review.path("comments").path(0);
        assertThat(comment.path("path").asText()).isEqualTo("README.md");
        assertThat(comment.path("new_position").asInt()).isEqualTo(3);
        assertThat(comment.path("old_position").asInt()).isZero();
        assertThat(comment.has("position")).isFalse();
        assertThat(comment.path("body").asText()).contains("Suggested replacement:\n\n```\n# Title\n```")
                .doesNotContain("```suggestion");

        assertThat(body(single(postRequestedFor(urlPathEqualTo(api + "/issues/4/comments")))).path("body").asText())
                .startsWith("<!-- drep:summary -->").contains("new on this push: 1");
    }

    @Test
    void aGiteaOlderThanTheReviewsFieldRenameGetsPosition() throws Exception {
        String api = stub("/legacy", "1.11.8", 5);
        String jobId = jobs.run(target("/legacy", 5, "head5"), null,
                List.of(new Finding("md.tab", "docs/a.md", 8, Severity.WARNING, "tab character", null)), List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        JsonNode comment = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/5/reviews")))).path("comments").path(0);
        assertThat(comment.path("position").asInt()).isEqualTo(8);
        assertThat(comment.has("new_position")).isFalse();
    }

    @Test
    void bodiesOverTheLimitAreCutWithANote() throws Exception {
        String api = stub("", "1.21.4", 6);
        StringBuilder longSuggestion = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            longSuggestion.append("line ").append(i).append(' ').append("x".repeat(70)).append('\n');
        }
        Finding inline = new Finding("md.line-length", "docs/big.md", 2, Severity.WARNING, "line too long",
                longSuggestion.toString().strip());
        List<Finding> outside = new ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            outside.add(new Finding("llm.style", "docs/chapter-" + i + ".md", i, Severity.INFO,
                    "this paragraph repeats the one before it", null));
        }
        String jobId = jobs.run(target("", 6, "head6"), null, List.of(inline), outside, List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        String comment = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/6/reviews"))))
                .path("comments").path(0).path("body").asText();
        assertThat(comment.length()).isLessThanOrEqualTo(PlatformFakes.GITEA_LIMIT);
        assertThat(comment).startsWith("<!-- drep:finding:").contains("drep cut this text to stay within the"
                + " platform's limit of " + PlatformFakes.GITEA_LIMIT + " characters");
        assertThat(comment.lines().filter(line -> line.equals("```")).count() % 2).as("code fences closed").isZero();

        String summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/6/comments")))).path("body").asText();
        assertThat(summary.length()).isLessThanOrEqualTo(PlatformFakes.GITEA_LIMIT);
        assertThat(summary).startsWith("<!-- drep:summary -->").contains("docs/chapter-1.md")
                .contains("drep cut this text").doesNotContain("docs/chapter-99.md")
                .contains("**success**").contains("Reviewed head `head6`");
    }

    @Test
    void aSuggestionReplacingSeveralLinesSaysWhichLinesItReplaces() throws Exception {
        String api = stub("", "1.21.4", 7);
        Finding range = new Finding("doc.poor", "src/Calc.java", 5, Severity.INFO,
                "The documentation of the public method `add` is a placeholder (TODO).",
                "    /**\n     * Adds two numbers.\n     */").withEndLine(7);
        Finding oneLine = new Finding("md.tab", "README.md", 2, Severity.WARNING, "tab character", "a b");
        List<Finding> findings = List.of(range, oneLine);
        String jobId = jobs.run(target("", 7, "head7"), null, findings, List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        // Gitea has no suggestions: the comment sits on the first line and names the lines the block replaces
        JsonNode comments = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/7/reviews")))).path("comments");
        assertThat(comments).containsExactlyInAnyOrder(
                JSON.createObjectNode().put("path", "README.md").put("body", marker(findings, oneLine)
                        + "\n**warning** `md.tab`: tab character\n\nSuggested replacement:\n\n```\na b\n```\n")
                        .put("new_position", 2).put("old_position", 0),
                JSON.createObjectNode().put("path", "src/Calc.java").put("body", marker(findings, range)
                        + "\n**info** `doc.poor`: The documentation of the public method `add` is a placeholder (TODO).\n"
                        + "\nSuggested replacement of lines 5-7:\n\n```\n    /**\n     * Adds two numbers.\n     */\n```\n")
                        .put("new_position", 5).put("old_position", 0));
    }

    @Test
    void anIncompleteReviewWithOnIncompleteNeutralGetsGiteasWarningState() throws Exception {
        String api = stub("", "1.21.4", 8);
        PublishSettings neutral = new PublishSettings(Severity.INFO, 50, Severity.ERROR, OnIncomplete.NEUTRAL);
        String jobId = jobs.run(target("", 8, "head8"), neutral, List.of(), List.of(),
                List.of(new NotAnalyzed("docs/guide.md", "not analyzed: LLM budget exhausted")));
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        List<LoggedRequest> statuses = gitea.findAll(postRequestedFor(urlPathEqualTo(api + "/statuses/head8")));
        assertThat(statuses).extracting(r -> body(r).path("state").asText()).containsExactly("pending", "warning");
        assertThat(body(statuses.get(1)).path("description").asText())
                .isEqualTo("incomplete review: 1 file could not be analysed: docs/guide.md");
    }

    @Test
    void aJobTheScannerFailedAtItsDeadlineLeavesAFailureStatusWithTheReason() throws Exception {
        String api = stub("", "1.21.4", 9);
        String jobId = UUID.randomUUID().toString();
        String reason = "did not finish within 30m: analysing, 3 of 10 work units done";

        internal().contentType(ContentType.JSON)
                .body(new JobFailure(jobId, reason, target("", 9, "ignored"), "head9"))
                .put("/internal/jobs/" + jobId + "/failure").then().statusCode(204);

        JsonNode status = body(single(postRequestedFor(urlPathEqualTo(api + "/statuses/head9"))));
        assertThat(status.path("state").asText()).isEqualTo("failure");
        assertThat(status.path("context").asText()).isEqualTo("drep");
        assertThat(status.path("description").asText()).isEqualTo("drep " + reason);
    }

    @Test
    void aDeadlineFailureThatCannotReachThePlatformIsAnswered503SoTheScannerTriesAgain() {
        String api = stub("", "1.21.4", 10);
        gitea.stubFor(post(urlPathEqualTo(api + "/statuses/head10")).willReturn(aResponse().withStatus(503)));
        String jobId = UUID.randomUUID().toString();

        internal().contentType(ContentType.JSON)
                .body(new JobFailure(jobId, "did not finish within 30m: it was never planned", target("", 10, "x"), "head10"))
                .put("/internal/jobs/" + jobId + "/failure").then().statusCode(503)
                .body("message", org.hamcrest.Matchers.containsString("try again later"));
    }

    @Test
    void whatTheModelWroteReachesGiteaWithoutMentionsImagesForeignLinksOrHtml() throws Exception {
        String api = stub("", "1.21.4", 40);
        Finding inline = UntrustedAnswers.inline("src/App.java", 3);
        Finding outside = UntrustedAnswers.elsewhere("src/App.java", 40);
        String jobId = jobs.run(target("", 40, "head40"), null, List.of(inline), List.of(outside), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        String comment = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/40/reviews")))).path("comments")
                .path(0).path("body").asText();
        UntrustedAnswers.assertDefused(comment, Set.of());
        UntrustedAnswers.assertMarkers(comment, Set.of(FindingFingerprints.of(List.of(inline)).get(0).fingerprint()));
        assertThat(UntrustedAnswers.fences(comment, "")).extracting(FencedCodeBlock::getLiteral)
                .as("the suggested replacement stays in its block, as written").contains(UntrustedAnswers.SUGGESTION + "\n");

        String summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/40/comments")))).path("body").asText();
        UntrustedAnswers.assertDefused(summary, Set.of("<sub>", "</sub>"));
        UntrustedAnswers.assertMarkers(summary, Set.of());
    }

    /** Every call to the publisher's internal API goes through here. */
    private static RequestSpecification internal() {
        return TestTokens.as(TestTokens.SCANNER_SERVICE);
    }

    private static String marker(List<Finding> findings, Finding finding) {
        return Markers.finding(FindingFingerprints.of(findings).stream().filter(f -> f.finding().equals(finding))
                .findFirst().orElseThrow().fingerprint());
    }

    private PullRequestRef ref(String prefix, int number, String head) {
        return new PullRequestRef("gitea", PlatformFakes.baseUrl() + prefix, repo, null, number, "base0", null, head,
                PlatformFakes.TOKEN_REF);
    }

    private ReviewTarget target(String prefix, int number, String head) {
        return ReviewTarget.pullRequest(ref(prefix, number, head));
    }

    /** A healthy Gitea of {@code version} under {@code prefix}; returns the repository's API path. */
    private String stub(String prefix, String version, int n) {
        String api = prefix + "/api/v1/repos/" + repo;
        String web = "https://gitea.example/" + repo;
        gitea.stubFor(get(urlPathEqualTo(prefix + "/api/v1/version")).willReturn(okJson("{\"version\": \"" + version + "\"}")));
        gitea.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 1, \"status\": \"pending\","
                        + " \"context\": \"drep\", \"description\": \"\", \"target_url\": \"\"}")));
        gitea.stubFor(post(urlPathEqualTo(api + "/pulls/" + n + "/reviews")).willReturn(okJson("{\"id\": 90,"
                + " \"body\": \"\", \"state\": \"COMMENT\", \"commit_id\": \"head\", \"stale\": false,"
                + " \"official\": false, \"comments_count\": 1, \"html_url\": \"" + web + "/pulls/" + n
                + "#issuecomment-90\", \"pull_request_url\": \"" + web + "/pulls/" + n + "\"}")));
        gitea.stubFor(get(urlPathEqualTo(api + "/pulls/" + n + "/reviews")).willReturn(okJson("[]")));
        gitea.stubFor(get(urlPathEqualTo(api + "/issues/" + n + "/comments")).willReturn(okJson("[]")));
        gitea.stubFor(post(urlPathEqualTo(api + "/issues/" + n + "/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 2001, \"html_url\": \"" + web
                        + "/pulls/" + n + "#issuecomment-2001\", \"pull_request_url\": \"" + web + "/pulls/" + n
                        + "\", \"body\": \"...\", \"user\": {\"login\": \"drep-bot\"}}")));
        gitea.stubFor(patch(urlPathEqualTo(api + "/issues/comments/2001")).willReturn(okJson("{\"id\": 2001,"
                + " \"html_url\": \"" + web + "/pulls/" + n + "#issuecomment-2001\", \"body\": \"...\"}")));
        return api;
    }
}
