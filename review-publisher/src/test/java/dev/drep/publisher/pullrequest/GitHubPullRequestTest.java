package dev.drep.publisher.pullrequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.drep.publisher.PlatformFakes.body;
import static dev.drep.publisher.PlatformFakes.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.OnIncomplete;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.Review;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.contracts.UnitResult;
import dev.drep.core.review.ReviewComposer;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.publisher.UntrustedAnswers;
import dev.drep.publisher.job.PublicationRetry;
import dev.drep.publisher.job.TrackedJob;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.publisher.posting.Markers;
import dev.drep.publisher.posting.PostingLedger;
import dev.drep.publisher.posting.ScopeKeys;
import dev.drep.testsupport.http.CapturingListener;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.logging.CapturedLog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.commonmark.node.FencedCodeBlock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reviews posted on GitHub pull requests, against a WireMock GitHub that answers with the documented
 * shapes of the REST API (2022-11-28): reviews, review comments, issue comments, check runs.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class GitHubPullRequestTest {
    private static final Severity W = Severity.WARNING;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Jobs jobs;
    @Inject
    PublicationRetry retry;
    @Inject
    PostingLedger ledger;

    private final WireMockServer github = PlatformFakes.server();
    private String repo;
    private String api;

    @BeforeEach
    void freshRepository() {
        repo = "acme/docs-" + UUID.randomUUID().toString().substring(0, 8);
        api = "/repos/" + repo;
    }

    @Test
    void aSecondPushPostsOnlyTheNewFindingAndEditsTheSummaryInPlace() throws Exception {
        stubPullRequest(7);
        Finding trailing = new Finding("md.trailing-whitespace", "README.md", 3, W, "trailing whitespace", null);
        Finding longLine = new Finding("md.line-length", "docs/a.md", 10, W, "line is 130 characters long (limit 120)", null);

        String first = jobs.run(target(7, "head1"), null, List.of(trailing, longLine), List.of(), List.of());
        JobEvent done = jobs.awaitFinal(first);
        assertThat(done.status()).isEqualTo(JobStatus.DONE);
        assertThat(done.outputs()).containsExactly("https://github.com/" + repo + "/pull/7#issuecomment-1001");

        LoggedRequest pending = single(postRequestedFor(urlPathEqualTo(api + "/check-runs")));
        assertThat(pending.getHeader("Authorization")).isEqualTo("Bearer " + PlatformFakes.TOKEN);
        assertThat(pending.getHeader("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
        JsonNode run = body(pending);
        assertThat(run.path("name").asText()).isEqualTo("drep");
        assertThat(run.path("head_sha").asText()).isEqualTo("head1");
        assertThat(run.path("status").asText()).isEqualTo("in_progress");

        JsonNode review = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/7/reviews"))));
        assertThat(review.path("commit_id").asText()).isEqualTo("head1");
        assertThat(review.path("event").asText()).isEqualTo("COMMENT");
        assertThat(review.path("comments")).hasSize(2);
        JsonNode c0 = review.path("comments").path(0);
        assertThat(c0.path("path").asText()).isEqualTo("README.md");
        assertThat(c0.path("line").asInt()).isEqualTo(3);
        assertThat(c0.path("side").asText()).isEqualTo("RIGHT");
        assertThat(c0.has("position")).isFalse();
        assertThat(c0.path("body").asText()).contains("trailing whitespace").contains("`md.trailing-whitespace`")
                .contains("<!-- drep:finding:");
        assertThat(review.path("comments").path(1).path("line").asInt()).isEqualTo(10);

        JsonNode summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/7/comments"))));
        assertThat(summary.path("body").asText()).startsWith("<!-- drep:summary -->").contains("## drep review")
                .contains("new on this push: 2").contains("**success**");
        JsonNode finished = body(single(patchRequestedFor(urlPathEqualTo(api + "/check-runs/4001"))));
        assertThat(finished.path("status").asText()).isEqualTo("completed");
        assertThat(finished.path("conclusion").asText()).isEqualTo("success");

        // second push: the trailing whitespace is fixed, the long line moved (and got longer), one new error
        Finding moved = new Finding("md.line-length", "docs/a.md", 12, W, "line is 131 characters long (limit 120)", null);
        Finding fence = new Finding("md.unclosed-fence", "docs/b.md", 5, Severity.ERROR, "close the code fence", "```");
        String second = jobs.run(target(7, "head2"), null, List.of(moved, fence), List.of(), List.of());
        assertThat(jobs.awaitFinal(second).status()).isEqualTo(JobStatus.DONE);

        List<LoggedRequest> reviews = github.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/7/reviews")));
        assertThat(reviews).hasSize(2);
        assertThat(reviews).as("platform calls continue the job's trace (W3C traceparent)")
                .allSatisfy(r -> assertThat(r.getHeader("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"));
        JsonNode again = body(reviews.get(1));
        assertThat(again.path("commit_id").asText()).isEqualTo("head2");
        assertThat(again.path("comments")).hasSize(1);
        assertThat(again.path("comments").path(0).path("path").asText()).isEqualTo("docs/b.md");
        assertThat(again.path("comments").path(0).path("line").asInt()).isEqualTo(5);
        assertThat(again.path("comments").path(0).path("body").asText()).contains("````suggestion\n```\n````");

        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/7/comments")))).hasSize(1);
        JsonNode edited = body(single(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/1001"))));
        assertThat(edited.path("body").asText()).startsWith("<!-- drep:summary -->")
                .contains("new on this push: 1")
                .contains("already commented on by an earlier push (not repeated): 1")
                .contains("**failure**: 1 finding at or above error")
                .contains("Reviewed head `head2`");

        JsonNode secondRun = body(github.findAll(postRequestedFor(urlPathEqualTo(api + "/check-runs"))).get(1));
        assertThat(secondRun.path("head_sha").asText()).isEqualTo("head2");
        JsonNode failed = body(single(patchRequestedFor(urlPathEqualTo(api + "/check-runs/4002"))));
        assertThat(failed.path("conclusion").asText()).isEqualTo("failure");
        assertThat(failed.path("output").path("title").asText()).isEqualTo("1 finding at or above error");
    }

    @Test
    void anIncrementalReviewKeepsTheFindingsOfFilesNotAnalysedAgainWithoutPostingThemTwice() throws Exception {
        stubPullRequest(21);
        Finding longLine = new Finding("md.line-length", "docs/a.md", 10, W, "line is 130 characters long (limit 120)",
                null, "a very long line");
        Finding tab = new Finding("md.tab", "docs/b.md", 2, W, "tab character", null, "\tindented");
        String first = jobs.run(target(21, "head1"), null, List.of(longLine, tab), List.of(), List.of());
        assertThat(jobs.awaitFinal(first).findings()).containsEntry(W, 2);

        // the next push changes only docs/b.md: docs/a.md is carried over, its finding still holds
        Finding fence = new Finding("md.unclosed-fence", "docs/b.md", 5, Severity.ERROR, "close the code fence", "```",
                "```java");
        String second = jobs.runIncremental(target(21, "head2"), "head1", List.of("docs/a.md"), List.of(fence));
        JobEvent done = jobs.awaitFinal(second);

        assertThat(done.status()).isEqualTo(JobStatus.DONE);
        assertThat(done.findings()).as("the carried-over finding counts, the fixed tab does not")
                .containsEntry(W, 1).containsEntry(Severity.ERROR, 1);
        List<LoggedRequest> reviews = github.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/21/reviews")));
        assertThat(reviews).hasSize(2);
        JsonNode again = body(reviews.get(1));
        assertThat(again.path("comments")).as("only the new finding is posted").hasSize(1);
        assertThat(again.path("comments").path(0).path("path").asText()).isEqualTo("docs/b.md");
        JsonNode edited = body(single(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/1001"))));
        assertThat(edited.path("body").asText()).contains("new on this push: 1")
                .contains("already commented on by an earlier push (not repeated): 1");
    }

    @Test
    void aReviewStoredBeforeARestartIsPostedOnceSkippingWhatAlreadyReachedGitHub() throws Throwable {
        stubPullRequest(8);
        Finding posted = new Finding("md.trailing-whitespace", "README.md", 3, W, "trailing whitespace", null);
        Finding notYet = new Finding("md.empty-heading", "docs/a.md", 4, W, "empty heading", null);
        String postedFingerprint = FindingFingerprints.of(List.of(posted)).get(0).fingerprint();
        // the publisher died after GitHub took the first comment but before recording it as posted
        github.stubFor(get(urlPathEqualTo(api + "/pulls/8/comments")).willReturn(okJson("[{\"id\": 301,"
                + " \"pull_request_review_id\": 70, \"path\": \"README.md\", \"line\": 3, \"side\": \"RIGHT\","
                + " \"commit_id\": \"head8\", \"body\": \"<!-- drep:finding:" + postedFingerprint + " -->\\n**warning**\","
                + " \"html_url\": \"https://github.com/" + repo + "/pull/8#discussion_r301\"}]")));

        // the summary of an earlier push is there too, but its id was never recorded
        github.stubFor(get(urlPathEqualTo(api + "/issues/8/comments")).willReturn(okJson("[{\"id\": 990,"
                + " \"body\": \"Looks good to me\", \"user\": {\"login\": \"alice\"}}, {\"id\": 1001,"
                + " \"body\": \"<!-- drep:summary -->\\n## drep review\\nold\", \"user\": {\"login\": \"drep-bot\"},"
                + " \"html_url\": \"https://github.com/" + repo + "/pull/8#issuecomment-1001\"}]")));

        String jobId = UUID.randomUUID().toString();
        PullRequestRef ref = ref(8, "head8");
        JobPlan plan = new JobPlan(jobId, repo, "base0", "head8", List.of(), List.of(), List.of(),
                ReviewTarget.pullRequest(ref));
        Review review = new ReviewComposer().compose(plan, List.of(new UnitResult("u", jobId, "markdown",
                List.of(posted, notYet), List.of(), 1)));
        TrackedJob job = new TrackedJob();
        job.jobId = jobId;
        job.plan = jobs.write(plan);
        job.unitsTotal = 0;
        job.stage = TrackedJob.Stage.PUBLISHING;
        job.review = jobs.write(review);
        job.createdAt = Instant.now();
        jobs.storePublishing(job);
        ledger.record(ScopeKeys.pullRequest(ref), postedFingerprint, PostingLedger.State.SENDING, jobId, null, null, null);

        // two replicas (or a restart racing a replica) resuming at once
        CompletableFuture<Void> one = CompletableFuture.runAsync(this::resume);
        CompletableFuture<Void> two = CompletableFuture.runAsync(this::resume);
        CompletableFuture.allOf(one, two).get();

        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);
        JsonNode review8 = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/8/reviews"))));
        assertThat(review8.path("comments")).hasSize(1);
        assertThat(review8.path("comments").path(0).path("path").asText()).isEqualTo("docs/a.md");
        assertThat(body(single(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/1001")))).path("body").asText())
                .startsWith("<!-- drep:summary -->").contains("new on this push: 2");
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/8/comments")))).isEmpty();
        Thread.sleep(500);
        assertThat(jobs.finalEvents(jobId)).isEqualTo(1);
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/8/reviews")))).hasSize(1);
    }

    @Test
    void aSummaryCommentSomeoneDeletedIsPostedAgain() throws Exception {
        stubPullRequest(17);
        Finding tab = new Finding("md.tab", "README.md", 2, W, "tab character", null);
        assertThat(jobs.awaitFinal(jobs.run(target(17, "head1"), null, List.of(tab), List.of(), List.of())).status())
                .isEqualTo(JobStatus.DONE);
        github.stubFor(patch(urlPathEqualTo(api + "/issues/comments/1001")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"message\": \"Not Found\","
                        + " \"documentation_url\": \"https://docs.github.com/rest/issues/comments#update-an-issue-comment\"}")));

        String second = jobs.run(target(17, "head2"), null, List.of(tab), List.of(), List.of());
        assertThat(jobs.awaitFinal(second).status()).isEqualTo(JobStatus.DONE);

        assertThat(github.findAll(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/1001")))).hasSize(1);
        List<LoggedRequest> summaries = github.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/17/comments")));
        assertThat(summaries).hasSize(2);
        assertThat(body(summaries.get(1)).path("body").asText()).startsWith("<!-- drep:summary -->")
                .contains("Reviewed head `head2`");
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/17/reviews")))).hasSize(1);
    }

    @Test
    void someoneElsesCommentQuotingTheSummaryMarkerIsLeftAlone() throws Exception {
        stubPullRequest(18);
        github.stubFor(get(urlPathEqualTo(api + "/issues/18/comments")).willReturn(okJson("[{\"id\": 555,"
                + " \"body\": \"> <!-- drep:summary -->\\n> why does drep say this?\", \"user\": {\"login\": \"alice\"}}]")));
        github.stubFor(patch(urlPathEqualTo(api + "/issues/comments/555")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"message\": \"Must have admin rights to"
                        + " Repository.\", \"documentation_url\": \"https://docs.github.com/rest\"}")));

        String jobId = jobs.run(target(18, "head18"), null,
                List.of(new Finding("md.tab", "README.md", 2, W, "tab character", null)), List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        assertThat(github.findAll(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/555")))).hasSize(1);
        assertThat(body(single(postRequestedFor(urlPathEqualTo(api + "/issues/18/comments")))).path("body").asText())
                .startsWith("<!-- drep:summary -->");
    }

    @Test
    void aCommentGitHubRejectsGoesIntoTheSummaryAndTheOthersArePosted() throws Exception {
        stubPullRequest(9);
        // GitHub refuses the whole review when one comment is outside the diff
        github.stubFor(post(urlPathEqualTo(api + "/pulls/9/reviews")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\": \"Unprocessable Entity\", \"errors\": [\"Line could not be resolved\"],"
                        + " \"documentation_url\": \"https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request\","
                        + " \"status\": \"422\"}")));
        github.stubFor(post(urlPathEqualTo(api + "/pulls/9/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 501, \"path\": \"README.md\","
                        + " \"line\": 3, \"side\": \"RIGHT\", \"html_url\": \"https://github.com/" + repo
                        + "/pull/9#discussion_r501\"}")));
        github.stubFor(post(urlPathEqualTo(api + "/pulls/9/comments"))
                .withRequestBody(matchingJsonPath("$.path", equalTo("docs/outside.md")))
                .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"Validation Failed\", \"errors\": [{\"resource\":"
                                + " \"PullRequestReviewComment\", \"code\": \"custom\", \"field\":"
                                + " \"pull_request_review_thread.line\", \"message\":"
                                + " \"pull_request_review_thread.line must be part of the diff\"}],"
                                + " \"documentation_url\": \"https://docs.github.com/rest\", \"status\": \"422\"}")));

        Finding inside = new Finding("md.trailing-whitespace", "README.md", 3, W, "trailing whitespace", null);
        Finding outside = new Finding("md.empty-heading", "docs/outside.md", 9, W, "empty heading", null);
        String jobId = jobs.run(target(9, "head9"), null, List.of(inside, outside), List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        List<LoggedRequest> singles = github.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/9/comments")));
        assertThat(singles).hasSize(2);
        JsonNode one = body(singles.get(0));
        assertThat(one.path("commit_id").asText()).isEqualTo("head9");
        assertThat(one.path("side").asText()).isEqualTo("RIGHT");
        assertThat(singles.stream().map(r -> body(r).path("path").asText()))
                .containsExactlyInAnyOrder("README.md", "docs/outside.md");
        String summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/9/comments")))).path("body").asText();
        assertThat(summary).contains("### Not posted inline").contains("`docs/outside.md:9`")
                .contains("pull_request_review_thread.line must be part of the diff").contains("new on this push: 1")
                .doesNotContain("`README.md:3`");
    }

    @Test
    void rateLimitsAreWaitedOutAndTheRequestSentAgain() throws Exception {
        stubPullRequest(10);
        long reset = Instant.now().getEpochSecond() + 1;
        github.stubFor(post(urlPathEqualTo(api + "/pulls/10/reviews")).inScenario("review-" + repo)
                .whenScenarioStateIs(STARTED).willSetStateTo("waited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"You have exceeded a secondary rate limit.\"}")));
        github.stubFor(post(urlPathEqualTo(api + "/issues/10/comments")).inScenario("summary-" + repo)
                .whenScenarioStateIs(STARTED).willSetStateTo("reset")
                .willReturn(aResponse().withStatus(403).withHeader("X-RateLimit-Limit", "5000")
                        .withHeader("X-RateLimit-Remaining", "0").withHeader("X-RateLimit-Used", "5000")
                        .withHeader("X-RateLimit-Reset", String.valueOf(reset))
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"API rate limit exceeded for user ID 1.\", \"documentation_url\":"
                                + " \"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\"}")));

        String jobId = jobs.run(target(10, "head10"), null,
                List.of(new Finding("md.tab", "README.md", 2, W, "tab character", null)), List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        List<LoggedRequest> reviews = github.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/10/reviews")));
        assertThat(reviews).hasSize(2);
        assertThat(Duration.between(reviews.get(0).getLoggedDate().toInstant(), reviews.get(1).getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        List<LoggedRequest> summaries = github.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/10/comments")));
        assertThat(summaries).hasSize(2);
        assertThat(summaries.get(1).getLoggedDate().toInstant()).isAfterOrEqualTo(Instant.ofEpochSecond(reset));
    }

    @Test
    void aRateLimitLongerThanTheWaitLimitDefersTheReview() throws Throwable {
        stubPullRequest(11);
        github.stubFor(post(urlPathEqualTo(api + "/pulls/11/reviews")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "3600").withHeader("Content-Type", "application/json")
                .withBody("{\"message\": \"You have exceeded a secondary rate limit.\"}")));

        String jobId = jobs.run(target(11, "head11"), null,
                List.of(new Finding("md.tab", "README.md", 2, W, "tab character", null)), List.of(), List.of());
        Jobs.await(() -> {
            try {
                return jobs.stored(jobId).nextAttemptAt != null;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
        TrackedJob job = jobs.stored(jobId);
        assertThat(job.stage).isEqualTo(TrackedJob.Stage.PUBLISHING);
        assertThat(job.nextAttemptAt).isAfter(Instant.now().plus(Duration.ofMinutes(55)));
        assertThat(job.message).contains("rate limited");
        assertThat(jobs.finalEvents(jobId)).isZero();
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/11/reviews")))).hasSize(1);
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/11/comments")))).isEmpty();
    }

    @Test
    void aPlatformThatIsDownIsRetriedLaterAndTheReviewPostedOnce() throws Throwable {
        stubPullRequest(12);
        // three 503s: two tries in place, a deferral, then the scheduled retry gets through on its second try
        String scenario = "down-" + repo;
        String[] states = {STARTED, "1", "2", "3"};
        for (int i = 0; i < 3; i++) {
            github.stubFor(post(urlPathEqualTo(api + "/pulls/12/reviews")).inScenario(scenario)
                    .whenScenarioStateIs(states[i]).willSetStateTo(states[i + 1])
                    .willReturn(aResponse().withStatus(503).withBody("<html>503 Service Unavailable</html>")));
        }

        String jobId = jobs.run(target(12, "head12"), null,
                List.of(new Finding("md.tab", "README.md", 2, W, "tab character", null)), List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/12/reviews")))).hasSize(4);
        // each try after an unanswered post first looks for the comment's marker
        assertThat(github.findAll(getRequestedFor(urlPathEqualTo(api + "/pulls/12/comments")))).hasSize(3);
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/12/comments")))).hasSize(1);
        assertThat(jobs.stored(jobId).attempts).isEqualTo(1);
        assertThat(jobs.finalEvents(jobId)).isEqualTo(1);
    }

    @Test
    void theTokenNeverAppearsInLogsOrErrors() throws Throwable {
        github.stubFor(any(urlPathMatching(api + "/.*")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\": \"Bad credentials: " + PlatformFakes.TOKEN + "\", \"documentation_url\":"
                        + " \"https://docs.github.com/rest\", \"status\": \"401\"}")));
        try (CapturedLog logs = CapturedLog.attach()) {
            String jobId = jobs.run(target(13, "head13"), null,
                    List.of(new Finding("md.tab", "README.md", 2, W, "tab character", null)), List.of(), List.of());
            JobEvent failed = jobs.awaitFinal(jobId);

            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.message()).contains("401").contains("Bad credentials: ***")
                    .contains("tokenRef '" + PlatformFakes.TOKEN_REF + "'").doesNotContain(PlatformFakes.TOKEN);
            assertThat(jobs.stored(jobId).message).doesNotContain(PlatformFakes.TOKEN);
            assertThat(logs.lines()).anyMatch(line -> line.contains("401"));
            assertThat(logs.lines()).noneMatch(line -> line.contains(PlatformFakes.TOKEN));
        }
        assertThat(github.findAll(postRequestedFor(urlPathMatching(api + "/.*"))))
                .isNotEmpty()
                .allMatch(r -> ("Bearer " + PlatformFakes.TOKEN).equals(r.getHeader("Authorization")));
    }

    @Test
    void aPlanNamingAHostTheTokenIsNotBoundToSendsNothingAndFailsNamingTheBinding() throws Exception {
        try (CapturingListener listener = CapturingListener.start()) {
            PullRequestRef ref = new PullRequestRef("github", listener.baseUrl(), repo, null, 16, "base0", null, "head16",
                    PlatformFakes.TOKEN_REF);
            String jobId = jobs.run(ReviewTarget.pullRequest(ref), null,
                    List.of(new Finding("md.tab", "README.md", 2, W, "tab character", null)), List.of(), List.of());
            JobEvent failed = jobs.awaitFinal(jobId);
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.message()).contains("token binding")
                    .contains("drep.platform-access.bindings." + PlatformFakes.TOKEN_REF)
                    .doesNotContain(PlatformFakes.TOKEN);
            assertThat(listener.requests()).as("the listener received nothing").isEmpty();
        }
    }

    @Test
    void aTokenThatIsNotConfiguredFailsTheJobNamingTheVariable() throws Exception {
        PullRequestRef ref = new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null, 14, "base0", null,
                "head14", "ci-bot");
        String jobId = jobs.run(ReviewTarget.pullRequest(ref), null, List.of(), List.of(), List.of());
        JobEvent failed = jobs.awaitFinal(jobId);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.message()).contains("no token is configured for tokenRef 'ci-bot'")
                .contains("DREP_SECRETS_CI_BOT");
        assertThat(github.findAll(postRequestedFor(urlPathMatching(api + "/.*")))).isEmpty();
    }

    @Test
    void aReviewTheLlmCouldNotFinishFailsTheCheckEvenWithoutFindings() throws Exception {
        stubPullRequest(15);
        String jobId = jobs.run(target(15, "head15"), null, List.of(), List.of(),
                List.of(new NotAnalyzed("docs/guide.md", "not analyzed: the LLM token budget of the day is spent")));
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        JsonNode finished = body(single(patchRequestedFor(urlPathEqualTo(api + "/check-runs/4001"))));
        assertThat(finished.path("conclusion").asText()).isEqualTo("failure");
        assertThat(finished.path("output").path("title").asText())
                .isEqualTo("incomplete review: 1 file could not be analysed: docs/guide.md");
        assertThat(body(single(postRequestedFor(urlPathEqualTo(api + "/issues/15/comments")))).path("body").asText())
                .contains("docs/guide.md").contains("the LLM token budget of the day is spent")
                .contains("**failure**: incomplete review");
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/15/reviews")))).isEmpty();
    }

    @Test
    void aPushAfterARefusedAnalysisIsNotSuccessAndTheFileIsRetriedUntilItsAnalysisSucceeds() throws Exception {
        stubPullRequest(30);
        NotAnalyzed refused = new NotAnalyzed("docs/guide.md", "not analyzed: the LLM token budget of the day is spent");
        String first = jobs.run(target(30, "head1"), null, List.of(), List.of(), List.of(refused));
        JobEvent firstDone = jobs.awaitFinal(first);
        assertThat(firstDone.retryFiles()).as("the scanner is told to analyse it again").containsExactly("docs/guide.md");

        // the next push did not touch docs/guide.md; a plan that carries it over keeps it "not analysed"
        String second = jobs.runIncremental(target(30, "head2"), "head1", List.of("docs/guide.md"), List.of());
        JobEvent secondDone = jobs.awaitFinal(second);
        assertThat(secondDone.status()).isEqualTo(JobStatus.DONE);
        assertThat(secondDone.retryFiles()).containsExactly("docs/guide.md");
        JsonNode check = body(single(patchRequestedFor(urlPathEqualTo(api + "/check-runs/4002"))));
        assertThat(check.path("conclusion").asText()).isEqualTo("failure");
        assertThat(check.path("output").path("title").asText())
                .isEqualTo("incomplete review: 1 file could not be analysed: docs/guide.md");
        String summary = body(single(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/1001")))).path("body").asText();
        assertThat(summary).contains("the LLM token budget of the day is spent")
                .contains("**failure**: incomplete review: 1 file could not be analysed: docs/guide.md")
                .contains("every push analyses it again until it succeeds: `docs/guide.md`");

        // the push after that analyses it again (the scanner planned it), and this time it succeeds
        String third = UUID.randomUUID().toString();
        JobPlan retried = new JobPlan(third, repo, "base0", "head3", List.of("u-" + third), List.of(), List.of(),
                target(30, "head3"), null, List.of(), List.of(), "head2", List.of());
        JobEvent thirdDone = jobs.awaitFinal(jobs.run(retried, List.of()));
        assertThat(thirdDone.retryFiles()).isEmpty();
        List<LoggedRequest> checks = github.findAll(patchRequestedFor(urlPathEqualTo(api + "/check-runs/4001")));
        assertThat(body(checks.get(checks.size() - 1)).path("conclusion").asText()).isEqualTo("success");
    }

    @Test
    void aCarriedOverFileTheScannerSkippedOnPurposeStaysListedWithoutFailingTheCheck() throws Exception {
        stubPullRequest(32);
        NotAnalyzed binary = new NotAnalyzed("docs/logo.png", "binary file");
        String first = UUID.randomUUID().toString();
        jobs.awaitFinal(jobs.run(new JobPlan(first, repo, "base0", "head1", List.of("u-" + first), List.of(binary),
                List.of(), target(32, "head1"), null, List.of(), List.of()), List.of()));

        JobEvent done = jobs.awaitFinal(jobs.runIncremental(target(32, "head2"), "head1", List.of("docs/logo.png"),
                List.of()));
        assertThat(done.retryFiles()).as("a binary file is not retried").isEmpty();
        JsonNode check = body(single(patchRequestedFor(urlPathEqualTo(api + "/check-runs/4002"))));
        assertThat(check.path("conclusion").asText()).isEqualTo("success");
        assertThat(body(single(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/1001")))).path("body").asText())
                .as("still named as not analysed").contains("docs/logo.png").contains("binary file");
    }

    @Test
    void onIncompleteNeutralEndsTheCheckNeutralNamingTheFiles() throws Exception {
        stubPullRequest(31);
        PublishSettings neutral = new PublishSettings(Severity.INFO, 50, Severity.ERROR, OnIncomplete.NEUTRAL);
        String jobId = jobs.run(target(31, "head31"), neutral, List.of(), List.of(),
                List.of(new NotAnalyzed("src/App.java", "not analyzed: LLM budget exhausted")));
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);
        JsonNode check = body(single(patchRequestedFor(urlPathEqualTo(api + "/check-runs/4001"))));
        assertThat(check.path("conclusion").asText()).isEqualTo("neutral");
        assertThat(check.path("output").path("title").asText())
                .isEqualTo("incomplete review: 1 file could not be analysed: src/App.java");
    }

    @Test
    void theSummarySaysHowManyOfTheModelsFindingsWereDroppedAndWhy() throws Exception {
        stubPullRequest(33);
        String jobId = jobs.runWithDropped(target(33, "head33"),
                List.of(new Finding("llm.bug", "src/cart.py", 4, Severity.ERROR, "overflow", null)),
                java.util.Map.of("quote_not_found", 3, "suggestion_does_not_apply", 1));
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        String summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/33/comments")))).path("body").asText();
        assertThat(summary).contains("Dropped 4 of the model's findings: 3 quoted code not "
                + "found, 1 suggestion does not apply.");
    }

    @Test
    void minimumSeverityAndTheInlineLimitKeepTheRestInTheSummary() throws Exception {
        stubPullRequest(16);
        PublishSettings settings = new PublishSettings(Severity.WARNING, 1, Severity.ERROR);
        List<Finding> findings = List.of(
                new Finding("md.bare-url", "a.md", 1, Severity.INFO, "bare URL", null),
                new Finding("md.tab", "b.md", 2, W, "tab character", null),
                new Finding("md.unclosed-fence", "c.md", 3, Severity.ERROR, "close the code fence", null),
                new Finding("md.empty-heading", "d.md", 4, W, "empty heading", null));
        String jobId = jobs.run(target(16, "head16"), settings, findings, List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        JsonNode review = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/16/reviews"))));
        assertThat(review.path("comments")).hasSize(1);
        assertThat(review.path("comments").path(0).path("path").asText()).isEqualTo("c.md");
        String summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/16/comments")))).path("body").asText();
        assertThat(summary).contains("`b.md:2`").contains("`d.md:4`")
                .contains("over the limit of 1 inline comments per review")
                .contains("below the minimum severity `warning` (counted above, not commented on): 1")
                .doesNotContain("`a.md:1`");
    }

    @Test
    void aSuggestionReplacingSeveralLinesIsAMultiLineCommentAndOneLineCommentsStayAsTheyWere() throws Exception {
        stubPullRequest(22);
        Finding range = new Finding("doc.poor", "src/Calc.java", 5, Severity.INFO,
                "The documentation of the public method `add` is a placeholder (TODO).",
                "    /**\n     * Adds two numbers.\n     */").withEndLine(7);
        Finding oneLine = new Finding("md.tab", "README.md", 2, W, "tab character", "a b");
        String jobId = jobs.run(target(22, "head22"), null, List.of(range, oneLine), List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        String oneLineBody = marker(List.of(range, oneLine), oneLine)
                + "\n**warning** `md.tab`: tab character\n\n```suggestion\na b\n```\n";
        String rangeBody = marker(List.of(range, oneLine), range) + "\n**info** `doc.poor`: The documentation of the public method"
                + " `add` is a placeholder (TODO).\n\n```suggestion\n    /**\n     * Adds two numbers.\n     */\n```\n";
        JsonNode comments = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/22/reviews")))).path("comments");
        assertThat(comments).containsExactlyInAnyOrder(
                JSON.createObjectNode().put("path", "README.md").put("line", 2).put("side", "RIGHT")
                        .put("body", oneLineBody),
                JSON.createObjectNode().put("path", "src/Calc.java").put("start_line", 5).put("start_side", "RIGHT")
                        .put("line", 7).put("side", "RIGHT").put("body", rangeBody));

        // a review GitHub refuses as a whole: each comment posted alone carries the same lines
        stubPullRequest(23);
        github.stubFor(post(urlPathEqualTo(api + "/pulls/23/reviews")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json").withBody("{\"message\": \"Unprocessable Entity\","
                        + " \"errors\": [\"Line could not be resolved\"], \"status\": \"422\"}")));
        github.stubFor(post(urlPathEqualTo(api + "/pulls/23/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 601, \"path\": \"src/Calc.java\","
                        + " \"start_line\": 5, \"line\": 7, \"html_url\": \"https://github.com/" + repo
                        + "/pull/23#discussion_r601\"}")));
        String alone = jobs.run(target(23, "head23"), null, List.of(range, oneLine), List.of(), List.of());
        assertThat(jobs.awaitFinal(alone).status()).isEqualTo(JobStatus.DONE);
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/23/comments"))))
                .extracting(r -> body(r)).containsExactlyInAnyOrder(
                        JSON.createObjectNode().put("body", oneLineBody).put("commit_id", "head23")
                                .put("path", "README.md").put("line", 2).put("side", "RIGHT"),
                        JSON.createObjectNode().put("body", rangeBody).put("commit_id", "head23")
                                .put("path", "src/Calc.java").put("start_line", 5).put("start_side", "RIGHT")
                                .put("line", 7).put("side", "RIGHT"));
    }

    @Test
    void whatTheModelWroteReachesGitHubWithoutMentionsImagesForeignLinksOrHtml() throws Exception {
        stubPullRequest(40);
        Finding inline = UntrustedAnswers.inline("src/App.java", 3);
        Finding hidden = new Finding("llm.security", "src/App.java", 7, W, "looks fine", "if (isAdmin) {\u202E } \u2066");
        Finding outside = UntrustedAnswers.elsewhere("src/App.java", 40);
        String jobId = jobs.run(target(40, "head40"), null, List.of(inline, hidden), List.of(outside), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        JsonNode comments = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/40/reviews")))).path("comments");
        String comment = comments.path(0).path("body").asText();
        UntrustedAnswers.assertDefused(comment, Set.of());
        UntrustedAnswers.assertMarkers(comment, Set.of(fingerprint(List.of(inline, hidden), inline)));
        assertThat(UntrustedAnswers.fences(comment, "suggestion")).as("the suggestion stays in its block, as written")
                .extracting(FencedCodeBlock::getLiteral).containsExactly(UntrustedAnswers.SUGGESTION + "\n");
        String withBidi = comments.path(1).path("body").asText();
        assertThat(withBidi).doesNotContain("suggestion").doesNotContain("\u202E")
                .contains("drep left out the suggested replacement: it contains invisible bidirectional control characters");

        String summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/40/comments")))).path("body").asText();
        UntrustedAnswers.assertDefused(summary, Set.of("<sub>", "</sub>"));
        UntrustedAnswers.assertMarkers(summary, Set.of());
        assertThat(summary).startsWith(Markers.SUMMARY).contains("## drep review").contains("| Severity | Findings |");
    }

    @Test
    void withACapOfTenTheTenMostSevereOfThirtyFindingsArePostedAndTheOtherTwentyCountedInTheSummary() throws Exception {
        stubPullRequest(41);
        List<Finding> findings = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // 6 errors, 12 warnings, 12 info, mixed up; one file each so that only the review's cap applies
            Severity severity = i % 5 == 0 ? Severity.ERROR : i % 2 == 0 ? W : Severity.INFO;
            findings.add(new Finding("llm.bug", String.format("src/F%02d.java", i), 10 + i, severity,
                    "problem number " + i, null, "line " + i));
        }
        PublishSettings cap = new PublishSettings(Severity.INFO, 10, Severity.ERROR);
        String jobId = jobs.run(target(41, "head41"), cap, findings, List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        JsonNode comments = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/41/reviews")))).path("comments");
        List<String> posted = new java.util.ArrayList<>();
        comments.forEach(c -> posted.add(c.path("path").asText()));
        // every error, then the warnings by path (the deterministic tie-break)
        assertThat(posted).containsExactly("src/F00.java", "src/F05.java", "src/F10.java", "src/F15.java",
                "src/F20.java", "src/F25.java", "src/F02.java", "src/F04.java", "src/F06.java", "src/F08.java");
        String summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/41/comments")))).path("body").asText();
        assertThat(summary).contains("new on this push: 10")
                .contains("over the limit of 10 inline comments per review (listed below, most severe were posted): 20")
                .contains("`src/F12.java:22` **warning**").contains("`src/F29.java:39` **info**")
                .doesNotContain("`src/F00.java:10`");
    }

    @Test
    void theSameMessageOnFiveHunksOfAFileIsOneCommentListingTheOtherLinesAndIsNotRepeatedOnTheNextPush()
            throws Exception {
        stubPullRequest(42);
        List<Finding> findings = new java.util.ArrayList<>();
        for (int line : new int[] {40, 3, 25, 12, 60}) {
            findings.add(new Finding("llm.style", "src/Repo.java", line, W, "Catch a narrower exception than  Exception.",
                    "catch (IOException e) {", "catch (Exception e) { // " + line));
        }
        Finding other = new Finding("llm.style", "src/Other.java", 3, W, "Catch a narrower exception than Exception.",
                null, "catch (Exception e) {");
        findings.add(other);
        String jobId = jobs.run(target(42, "head1"), null, findings, List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        JsonNode comments = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/42/reviews")))).path("comments");
        assertThat(comments).as("one per file").hasSize(2);
        JsonNode repo = comments.path(0).path("path").asText().equals("src/Repo.java") ? comments.path(0) : comments.path(1);
        assertThat(repo.path("line").asInt()).isEqualTo(3);
        String text = repo.path("body").asText();
        assertThat(text).contains("The same on lines 12, 25, 40 and 60 of this file (one comment instead of 5).")
                .contains("```suggestion\ncatch (IOException e) {\n```");
        UntrustedAnswers.assertMarkers(text, Set.copyOf(FindingFingerprints.of(findings).stream()
                .filter(f -> f.finding().path().equals("src/Repo.java")).map(FindingFingerprints.Fingerprinted::fingerprint)
                .toList()));
        String summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/42/comments")))).path("body").asText();
        assertThat(summary).contains("new on this push: 6")
                .contains("the same message on other lines of a file, listed in one comment instead of repeated: 4");

        String again = jobs.run(target(42, "head2"), null, findings, List.of(), List.of());
        assertThat(jobs.awaitFinal(again).status()).isEqualTo(JobStatus.DONE);
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/42/reviews")))).as("nothing new").hasSize(1);
        assertThat(body(single(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/1001")))).path("body").asText())
                .contains("already commented on by an earlier push (not repeated): 6");
    }

    @Test
    void theCapPerFileKeepsTheMostSevereOfAFileAndListsTheRest() throws Exception {
        stubPullRequest(43);
        PublishSettings twoPerFile = new PublishSettings(Severity.INFO, 50, Severity.ERROR, OnIncomplete.FAILURE, 2);
        List<Finding> findings = List.of(
                new Finding("md.tab", "a.md", 1, Severity.INFO, "tab character", null, "\ta"),
                new Finding("md.unclosed-fence", "a.md", 9, Severity.ERROR, "close the code fence", null, "```"),
                new Finding("md.empty-heading", "a.md", 4, W, "empty heading", null, "#"),
                new Finding("md.line-length", "a.md", 6, W, "line is 130 characters long", null, "long"),
                new Finding("md.tab", "b.md", 2, Severity.INFO, "tab character", null, "\tb"));
        String jobId = jobs.run(target(43, "head43"), twoPerFile, findings, List.of(), List.of());
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        JsonNode comments = body(single(postRequestedFor(urlPathEqualTo(api + "/pulls/43/reviews")))).path("comments");
        List<String> posted = new java.util.ArrayList<>();
        comments.forEach(c -> posted.add(c.path("path").asText() + ":" + c.path("line").asInt()));
        assertThat(posted).containsExactly("a.md:9", "a.md:4", "b.md:2");
        String summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/43/comments")))).path("body").asText();
        assertThat(summary).contains("over the limit of 2 inline comments per file (listed below): 2")
                .contains("`a.md:6` **warning** `md.line-length`: line is 130 characters long (over the limit of 2 inline"
                        + " comments per file)")
                .contains("`a.md:1` **info**");
    }

    private static String fingerprint(List<Finding> findings, Finding finding) {
        return FindingFingerprints.of(findings).stream().filter(f -> f.finding().equals(finding)).findFirst()
                .orElseThrow().fingerprint();
    }

    /** The hidden marker of {@code finding} in a review of {@code findings}. */
    private static String marker(List<Finding> findings, Finding finding) {
        return Markers.finding(FindingFingerprints.of(findings).stream()
                .filter(f -> f.finding().equals(finding)).findFirst().orElseThrow().fingerprint());
    }

    private void resume() {
        try {
            VertxContextSupport.subscribeAndAwait(() -> retry.resumeStoredReviews());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private PullRequestRef ref(int number, String head) {
        return new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null, number, "base0", null, head,
                PlatformFakes.TOKEN_REF);
    }

    private ReviewTarget target(int number, String head) {
        return ReviewTarget.pullRequest(ref(number, head));
    }

    /** The answers of a healthy GitHub for pull request {@code n}, shaped as GitHub documents them. */
    private void stubPullRequest(int n) {
        String web = "https://github.com/" + repo;
        for (int i = 1; i <= 2; i++) {
            github.stubFor(post(urlPathEqualTo(api + "/check-runs"))
                    .withRequestBody(matchingJsonPath("$.head_sha", equalTo("head" + i)))
                    .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                            .withBody("{\"id\": 400" + i + ", \"name\": \"drep\", \"status\": \"in_progress\","
                                    + " \"conclusion\": null, \"html_url\": \"" + web + "/runs/400" + i + "\"}")));
        }
        github.stubFor(post(urlPathEqualTo(api + "/check-runs")).atPriority(10)
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\": 4001, \"name\": \"drep\", \"status\": \"in_progress\"}")));
        github.stubFor(patch(urlPathMatching(api + "/check-runs/\\d+")).willReturn(okJson(
                "{\"id\": 4001, \"name\": \"drep\", \"status\": \"completed\"}")));
        github.stubFor(get(urlPathMatching(api + "/commits/[^/]+/check-runs"))
                .willReturn(okJson("{\"total_count\": 0, \"check_runs\": []}")));
        github.stubFor(post(urlPathEqualTo(api + "/pulls/" + n + "/reviews")).willReturn(okJson("{\"id\": 80,"
                + " \"node_id\": \"MDE3OlB1bGxSZXF1ZXN0UmV2aWV3ODA=\", \"user\": {\"login\": \"drep-bot\", \"id\": 1},"
                + " \"body\": \"\", \"state\": \"COMMENTED\", \"html_url\": \"" + web + "/pull/" + n
                + "#pullrequestreview-80\", \"commit_id\": \"head\"}")));
        github.stubFor(get(urlPathEqualTo(api + "/pulls/" + n + "/comments")).atPriority(10).willReturn(okJson("[]")));
        github.stubFor(get(urlPathEqualTo(api + "/issues/" + n + "/comments")).willReturn(okJson("[]")));
        github.stubFor(post(urlPathEqualTo(api + "/issues/" + n + "/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": 1001, \"node_id\": \"MDEyOklzc3VlQ29tbWVudDEwMDE=\", \"html_url\": \"" + web
                        + "/pull/" + n + "#issuecomment-1001\", \"body\": \"...\", \"user\": {\"login\": \"drep-bot\"}}")));
        github.stubFor(patch(urlPathEqualTo(api + "/issues/comments/1001")).willReturn(okJson("{\"id\": 1001,"
                + " \"html_url\": \"" + web + "/pull/" + n + "#issuecomment-1001\", \"body\": \"...\"}")));
    }
}
