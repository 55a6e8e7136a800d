package dev.drep.publisher.pullrequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.drep.publisher.PlatformFakes.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.LineEdit;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.publisher.posting.Markers;
import dev.drep.publisher.posting.PostingLedger;
import dev.drep.publisher.posting.PostingLedger.State;
import dev.drep.publisher.posting.ScopeKeys;
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
 * Follow-ups (issue 17, item 3): an inline finding of an earlier push that a later push re-analysed and no longer
 * finds is marked resolved on the platform, once; one it still finds, or whose file it did not analyse, stays open.
 * Three pushes each: the first comments on the findings, the second fixes one of them, the third (the same review
 * again, as a re-run would post it) resolves nothing more.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class FollowUpsTest {
    private static final Finding FIXED = new Finding("md.trailing-whitespace", "README.md", 3, Severity.WARNING,
            "trailing whitespace", null);
    private static final Finding KEPT = new Finding("md.line-length", "docs/kept.md", 10, Severity.WARNING,
            "line is 130 characters long (limit 120)", null);
    /** in a file the later pushes do not analyse (carried over, or its unit failed): missing, but not fixed */
    private static final Finding ELSEWHERE = new Finding("md.tab", "docs/other.md", 4, Severity.WARNING,
            "tab character", null);
    private static final List<Finding> FIRST = List.of(FIXED, KEPT, ELSEWHERE);
    private static final List<String> ANALYSED_LATER = List.of("README.md", "docs/kept.md");
    /** what push 2 (and 3) changed: the fixed finding's line 3 of README.md, and KEPT's line */
    private static final Map<String, List<LineEdit>> FIXED_LINES_CHANGED = Map.of(
            "README.md", List.of(new LineEdit(3, 1, 3, 1)), "docs/kept.md", List.of(new LineEdit(10, 1, 10, 1)));
    /** two lines added at the top of README.md and lines 20-25 rewritten: line 3 (now 5) left alone */
    private static final Map<String, List<LineEdit>> OTHER_LINES_CHANGED = Map.of(
            "README.md", List.of(new LineEdit(1, 0, 1, 2), new LineEdit(20, 6, 22, 6)));

    @Inject
    Jobs jobs;
    @Inject
    PostingLedger ledger;

    private final WireMockServer fake = PlatformFakes.server();

    @Test
    void githubResolvesTheReviewThreadOfAFixedFindingOnceWithTheGraphqlMutation() throws Exception {
        String repo = "acme/docs-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/repos/" + repo;
        String web = "https://github.com/" + repo;
        pushThree(github(repo), FIXED_LINES_CHANGED);

        List<LoggedRequest> mutations = fake.findAll(postRequestedFor(urlPathEqualTo("/graphql"))
                .withRequestBody(containing("resolveReviewThread")));
        assertThat(mutations).extracting(r -> body(r).path("variables").path("threadId").asText())
                .as("the fixed finding's thread, resolved once").containsExactly("PRRT_fixed");
        assertThat(mutations.get(0).getHeader("Authorization")).isEqualTo("Bearer " + PlatformFakes.TOKEN);
        List<LoggedRequest> summaries = fake.findAll(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/1001")));
        assertThat(summaries).hasSize(2);
        for (LoggedRequest summary : summaries) {
            assertThat(body(summary).path("body").asText()).contains("### Follow-ups")
                    .contains("- resolved (a later push fixed them): 1").contains("- still open from earlier pushes: 1")
                    .contains("- resolved: `README.md` ([comment](" + web + "/pull/7#pullrequestreview-80)), fixed in head2")
                    .contains("- open: `docs/kept.md:10` **warning** `md.line-length`");
        }
    }

    @Test
    void githubKeepsTheThreadOfAFindingOpenWhenThePushLeftItsLinesAloneAndTheModelIsSilent() throws Exception {
        String repo = "acme/docs-" + UUID.randomUUID().toString().substring(0, 8);

        pushThree(github(repo), OTHER_LINES_CHANGED);

        assertThat(fake.findAll(postRequestedFor(urlPathEqualTo("/graphql"))
                .withRequestBody(containing("resolveReviewThread")))).as("no thread resolved").isEmpty();
        assertStillOpen(fake.findAll(patchRequestedFor(urlPathEqualTo("/repos/" + repo + "/issues/comments/1001"))));
    }

    @Test
    void gitlabResolvesTheDiscussionOfAFixedFindingOnce() throws Exception {
        String repo = "acme/handbook-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        String mr = api + "/merge_requests/3";
        pushThree(gitlab(repo), FIXED_LINES_CHANGED);

        List<LoggedRequest> resolved = fake.findAll(putRequestedFor(urlPathMatching(mr + "/discussions/.+")));
        assertThat(resolved).extracting(LoggedRequest::getUrl)
                .as("the fixed finding's discussion, resolved once").containsExactly(mr + "/discussions/d-"
                        + FIXED.rule() + "?resolved=true");
        assertThat(resolved.get(0).getHeader("PRIVATE-TOKEN")).isEqualTo(PlatformFakes.TOKEN);
        assertThat(fake.findAll(putRequestedFor(urlPathEqualTo(mr + "/notes/302")))).hasSize(2)
                .allSatisfy(r -> assertThat(body(r).path("body").asText())
                        .contains("- resolved (a later push fixed them): 1").contains("- still open from earlier pushes: 1")
                        .contains("- resolved: `README.md` ([comment](" + PlatformFakes.baseUrl() + "/" + repo
                                + "/-/merge_requests/3#note_110)), fixed in head2"));
    }

    @Test
    void gitlabKeepsTheDiscussionOfAFindingOpenWhenThePushLeftItsLinesAloneAndTheModelIsSilent() throws Exception {
        String repo = "acme/handbook-" + UUID.randomUUID().toString().substring(0, 8);
        String mr = "/api/v4/projects/" + repo.replace("/", "%2F") + "/merge_requests/3";

        pushThree(gitlab(repo), OTHER_LINES_CHANGED);

        assertThat(fake.findAll(putRequestedFor(urlPathMatching(mr + "/discussions/.+")))).as("no discussion resolved")
                .isEmpty();
        assertStillOpen(fake.findAll(putRequestedFor(urlPathEqualTo(mr + "/notes/302"))));
    }

    @Test
    void giteaRepliesOnceThatAFixedFindingIsFixed() throws Exception {
        String repo = "acme/wiki-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v1/repos/" + repo;
        pushThree(gitea(repo), FIXED_LINES_CHANGED);

        List<String> notes = fake.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/4/comments"))).stream()
                .map(r -> body(r).path("body").asText()).filter(b -> b.contains("<!-- drep:resolved:")).toList();
        assertThat(notes).as("one note for the fixed finding").hasSize(1);
        assertThat(notes.get(0)).contains(Markers.resolved(fingerprint(FIXED)))
                .contains("drep's review of `head2` analysed `README.md` again and no longer finds")
                .doesNotContain(fingerprint(KEPT)).doesNotContain(fingerprint(ELSEWHERE));
    }

    @Test
    void giteaSaysNothingIsFixedWhenThePushLeftTheFindingsLinesAloneAndTheModelIsSilent() throws Exception {
        String repo = "acme/wiki-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v1/repos/" + repo;

        pushThree(gitea(repo), OTHER_LINES_CHANGED);

        assertThat(fake.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/4/comments"))))
                .extracting(r -> body(r).path("body").asText()).noneMatch(b -> b.contains("<!-- drep:resolved:"));
        assertStillOpen(fake.findAll(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/2001"))));
    }

    @Test
    void aResolutionCutShortIsFinishedWithoutASecondGiteaNote() throws Exception {
        String repo = "acme/wiki-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v1/repos/" + repo;
        String web = "https://gitea.example/" + repo;
        fake.stubFor(get(urlPathEqualTo("/api/v1/version")).willReturn(okJson("{\"version\": \"1.21.4\"}")));
        fake.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 1, \"status\": \"pending\"}")));
        fake.stubFor(post(urlPathEqualTo(api + "/pulls/5/reviews")).willReturn(okJson("{\"id\": 91, \"state\":"
                + " \"COMMENT\", \"html_url\": \"" + web + "/pulls/5#issuecomment-91\"}")));
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/5/reviews")).willReturn(okJson("[]")));
        fake.stubFor(post(urlPathEqualTo(api + "/issues/5/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 2002, \"html_url\": \"" + web
                        + "/pulls/5#issuecomment-2002\", \"body\": \"...\"}")));
        fake.stubFor(patch(urlPathEqualTo(api + "/issues/comments/2002")).willReturn(okJson("{\"id\": 2002,"
                + " \"body\": \"...\"}")));
        fake.stubFor(get(urlPathEqualTo(api + "/issues/5/comments")).willReturn(okJson("[]")));
        PullRequestRef first = new PullRequestRef("gitea", PlatformFakes.baseUrl(), repo, null, 5, "base0", null, "head1",
                PlatformFakes.TOKEN_REF);
        String posting = jobs.run(ReviewTarget.pullRequest(first), null, FIRST, List.of(), List.of());
        assertThat(jobs.awaitFinal(posting).status()).isEqualTo(JobStatus.DONE);

        // a poster recorded the fixed finding RESOLVING, posted its note and died before recording RESOLVED
        ledger.record(ScopeKeys.pullRequest(first), fingerprint(FIXED), State.RESOLVING, posting, null, null, null,
                FIXED.path());
        fake.stubFor(get(urlPathEqualTo(api + "/issues/5/comments")).willReturn(okJson("[{\"id\": 2002, \"body\":"
                + " \"<!-- drep:summary -->\"}, {\"id\": 2003, \"body\": \"drep's review of `head2` ... it is fixed.\\n\\n"
                + Markers.resolved(fingerprint(FIXED)) + "\"}]")));
        String resumed = jobs.run(jobs.plan(ReviewTarget.pullRequest(new PullRequestRef("gitea", PlatformFakes.baseUrl(),
                repo, null, 5, "base0", null, "head2", PlatformFakes.TOKEN_REF))).analysing(ANALYSED_LATER), List.of(KEPT));
        assertThat(jobs.awaitFinal(resumed).status()).isEqualTo(JobStatus.DONE);

        assertThat(fake.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/5/comments"))))
                .extracting(r -> body(r).path("body").asText()).as("the summary, and no second note")
                .noneMatch(b -> b.contains("<!-- drep:resolved:"));
        assertThat(ledger.entries(ScopeKeys.pullRequest(first)).get(fingerprint(FIXED)).state()).isEqualTo(State.RESOLVED);
        assertThat(body(fake.findAll(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/2002"))).get(0))
                .path("body").asText()).contains("- resolved (a later push fixed them): 1");
    }

    /** A fake GitHub for pull request #7 of {@code repo}: its three pushes. */
    private ReviewTarget[] github(String repo) {
        String api = "/repos/" + repo;
        String web = "https://github.com/" + repo;
        fake.stubFor(post(urlPathEqualTo(api + "/check-runs")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 4001, \"status\": \"in_progress\"}")));
        fake.stubFor(patch(urlPathMatching(api + "/check-runs/\\d+")).willReturn(okJson("{\"id\": 4001}")));
        fake.stubFor(get(urlPathMatching(api + "/commits/[^/]+/check-runs"))
                .willReturn(okJson("{\"total_count\": 0, \"check_runs\": []}")));
        fake.stubFor(post(urlPathEqualTo(api + "/pulls/7/reviews")).willReturn(okJson("{\"id\": 80, \"state\":"
                + " \"COMMENTED\", \"html_url\": \"" + web + "/pull/7#pullrequestreview-80\"}")));
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/7/comments")).willReturn(okJson("[]")));
        fake.stubFor(get(urlPathEqualTo(api + "/issues/7/comments")).willReturn(okJson("[]")));
        fake.stubFor(post(urlPathEqualTo(api + "/issues/7/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 1001, \"html_url\": \"" + web
                        + "/pull/7#issuecomment-1001\", \"body\": \"...\"}")));
        fake.stubFor(patch(urlPathEqualTo(api + "/issues/comments/1001")).willReturn(okJson("{\"id\": 1001,"
                + " \"html_url\": \"" + web + "/pull/7#issuecomment-1001\", \"body\": \"...\"}")));
        // GraphQL: the pull request's review threads, each with its first comment (drep's, carrying the marker)
        fake.stubFor(post(urlPathEqualTo("/graphql")).withRequestBody(containing("reviewThreads"))
                .withRequestBody(matchingJsonPath("$.variables.name", equalTo(repo.substring("acme/".length()))))
                .willReturn(okJson("{\"data\": {\"repository\": {\"pullRequest\": {\"reviewThreads\": {"
                        + "\"pageInfo\": {\"hasNextPage\": false, \"endCursor\": \"Y3Vyc29yOjM=\"}, \"nodes\": ["
                        + thread("PRRT_kept", KEPT) + ", " + thread("PRRT_fixed", FIXED) + ", "
                        + thread("PRRT_elsewhere", ELSEWHERE) + "]}}}}}")));
        fake.stubFor(post(urlPathEqualTo("/graphql")).withRequestBody(containing("resolveReviewThread"))
                .willReturn(okJson("{\"data\": {\"resolveReviewThread\": {\"thread\": {\"id\": \"PRRT_fixed\","
                        + " \"isResolved\": true}}}}")));
        ReviewTarget[] pushes = new ReviewTarget[4];
        for (int i = 1; i <= 3; i++) {
            pushes[i] = ReviewTarget.pullRequest(new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null, 7,
                    "base0", null, "head" + i, PlatformFakes.TOKEN_REF));
        }

        return pushes;
    }

    /** A fake GitLab for merge request !3 of {@code repo}: its three pushes. */
    private ReviewTarget[] gitlab(String repo) {
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        String mr = api + "/merge_requests/3";
        fake.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 93, \"status\": \"pending\"}")));
        for (Finding f : FIRST) {
            String id = "d-" + f.rule();
            fake.stubFor(post(urlPathEqualTo(mr + "/discussions"))
                    .withRequestBody(matchingJsonPath("$.position.new_path", equalTo(f.path())))
                    .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                            .withBody("{\"id\": \"" + id + "\", \"individual_note\": false, \"notes\": [{\"id\": 11"
                                    + FIRST.indexOf(f) + ", \"type\": \"DiffNote\", \"body\": \"...\", \"system\": false,"
                                    + " \"resolvable\": true, \"resolved\": false}]}")));
            fake.stubFor(put(urlPathEqualTo(mr + "/discussions/" + id)).willReturn(okJson("{\"id\": \"" + id + "\","
                    + " \"individual_note\": false, \"notes\": [{\"id\": 11" + FIRST.indexOf(f) + ", \"type\":"
                    + " \"DiffNote\", \"resolvable\": true, \"resolved\": true}]}")));
        }
        fake.stubFor(get(urlPathEqualTo(mr + "/notes")).willReturn(okJson("[]")));
        fake.stubFor(post(urlPathEqualTo(mr + "/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 302, \"body\": \"...\","
                        + " \"system\": false}")));
        fake.stubFor(put(urlPathEqualTo(mr + "/notes/302")).willReturn(okJson("{\"id\": 302, \"body\": \"...\"}")));
        ReviewTarget[] pushes = new ReviewTarget[4];
        for (int i = 1; i <= 3; i++) {
            pushes[i] = ReviewTarget.pullRequest(new PullRequestRef("gitlab", PlatformFakes.baseUrl(), repo, null, 3,
                    "base" + i, "start" + i, "head" + i, PlatformFakes.TOKEN_REF));
        }

        return pushes;
    }

    /** A fake Gitea for pull request #4 of {@code repo}: its three pushes. */
    private ReviewTarget[] gitea(String repo) {
        String api = "/api/v1/repos/" + repo;
        String web = "https://gitea.example/" + repo;
        fake.stubFor(get(urlPathEqualTo("/api/v1/version")).willReturn(okJson("{\"version\": \"1.21.4\"}")));
        fake.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 1, \"status\": \"pending\"}")));
        fake.stubFor(post(urlPathEqualTo(api + "/pulls/4/reviews")).willReturn(okJson("{\"id\": 90, \"state\":"
                + " \"COMMENT\", \"comments_count\": 3, \"html_url\": \"" + web + "/pulls/4#issuecomment-90\"}")));
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/4/reviews")).willReturn(okJson("[]")));
        fake.stubFor(get(urlPathEqualTo(api + "/issues/4/comments")).willReturn(okJson("[]")));
        fake.stubFor(post(urlPathEqualTo(api + "/issues/4/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 2001, \"html_url\": \"" + web
                        + "/pulls/4#issuecomment-2001\", \"body\": \"...\"}")));
        fake.stubFor(patch(urlPathEqualTo(api + "/issues/comments/2001")).willReturn(okJson("{\"id\": 2001,"
                + " \"html_url\": \"" + web + "/pulls/4#issuecomment-2001\", \"body\": \"...\"}")));
        ReviewTarget[] pushes = new ReviewTarget[4];
        for (int i = 1; i <= 3; i++) {
            pushes[i] = ReviewTarget.pullRequest(new PullRequestRef("gitea", PlatformFakes.baseUrl(), repo, null, 4,
                    "base0", null, "head" + i, PlatformFakes.TOKEN_REF));
        }

        return pushes;
    }

    /**
     * Push 1 comments on all three; push 2 changes {@code changes} and its analyzers report only KEPT; push 3 is the
     * same review again, incremental since push 2 with nothing changed since (a re-run).
     */
    private void pushThree(ReviewTarget[] pushes, Map<String, List<LineEdit>> changes) throws Exception {
        String first = jobs.run(pushes[1], null, FIRST, List.of(), List.of());
        assertThat(jobs.awaitFinal(first).status()).isEqualTo(JobStatus.DONE);
        for (int i = 2; i <= 3; i++) {
            String later = jobs.run(jobs.plan(pushes[i]).analysing(ANALYSED_LATER)
                    .incrementalSince("head" + (i - 1), List.of()).withChangesSincePrevious(i == 2 ? changes : Map.of()),
                    List.of(KEPT));
            assertThat(jobs.awaitFinal(later).status()).isEqualTo(JobStatus.DONE);
        }
    }

    /** The summaries after pushes 2 and 3: nothing resolved, FIXED (moved down by two lines) and KEPT still open. */
    private static void assertStillOpen(List<LoggedRequest> summaries) {
        assertThat(summaries).hasSize(2).allSatisfy(summary -> assertThat(body(summary).path("body").asText())
                .contains("### Follow-ups").contains("- resolved (a later push fixed them): 0")
                .contains("- still open from earlier pushes: 2")
                .contains("- open: `README.md:5` **warning** `md.trailing-whitespace`")
                .contains("- open: `docs/kept.md:10` **warning** `md.line-length`"));
    }

    private static String fingerprint(Finding finding) {
        return FindingFingerprints.of(FIRST).stream().filter(f -> f.finding().equals(finding)).findFirst()
                .orElseThrow().fingerprint();
    }

    private static String thread(String id, Finding finding) {
        return "{\"id\": \"" + id + "\", \"isResolved\": false, \"comments\": {\"nodes\": [{\"body\": \""
                + Markers.finding(fingerprint(finding)) + "\\n**warning** ...\"}]}}";
    }
}
