package dev.drep.publisher.feedback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
import dev.drep.publisher.GitHubFake;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.publisher.posting.Markers;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * 👍/👎 reactions on drep's inline comments (issue 17, item 4; docs/architecture.md, "Learning from feedback"), read at
 * the next review of the pull request from WireMock's GitHub ({@code GET .../pulls/comments/{id}/reactions}).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class GitHubReactionsTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String RULE = "md.trailing-whitespace";
    private static final String DREP = "drep-bot";

    @Inject
    Jobs jobs;

    @Inject
    MeterRegistry registry;

    private final WireMockServer fake = PlatformFakes.server();

    @Test
    void thumbsDownOnThreeFindingsOfARuleSuppressesItInTheNextPullRequestOfThatRepository() throws Exception {
        String repo = repo("thumbs");
        String api = "/repos/" + repo;
        GitHubFake.stubPullRequests(repo);

        for (int number = 1; number <= 3; number++) {
            Finding nit = nit("docs/page" + number + ".md");
            review(repo, number, "head" + number, nit);
            int comment = 7000 + number;
            stubComments(api, number, drepsComment(comment, nit));
            stubReactions(api, comment, reaction("-1", "octocat", "User"));
            review(repo, number, "head" + number + "b", nit);
        }
        RepositoryLearnings learned = learnings(repo);
        assertThat(learned.learnings()).hasSize(3).allSatisfy(l -> {
            assertThat(l.rule()).isEqualTo(RULE);
            assertThat(l.kind()).isEqualTo("reaction");
            assertThat(l.author()).isEqualTo("octocat");
        });
        assertThat(learned.rules()).containsExactly(new RepositoryLearnings.RuleTally(RULE, 3, true));

        // read again at a later review: the same 👎 records nothing new
        review(repo, 1, "head1c", nit("docs/page1.md"));
        assertThat(learnings(repo).learnings()).hasSize(3);

        Finding other = new Finding("md.line-length", "docs/next.md", 4, Severity.WARNING, "line too long", null);
        fake.resetRequests();
        review(repo, 4, "head4", nit("docs/next.md"), other);
        var reviews = fake.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/4/reviews")));
        assertThat(reviews).hasSize(1);
        assertThat(body(reviews.get(0)).path("comments")).hasSize(1);
        assertThat(body(reviews.get(0)).path("comments").get(0).path("body").asText()).contains("md.line-length");
        String summary = body(fake.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/4/comments"))).get(0))
                .path("body").asText();
        assertThat(summary).contains("`docs/next.md:1` **info** `" + RULE + "`");
    }

    @Test
    void aThumbsDownFindingIsListedAsRejectedNotAsJustifiedInTheSummary() throws Exception {
        String repo = repo("listed");
        String api = "/repos/" + repo;
        GitHubFake.stubPullRequests(repo);
        Finding nit = nit("docs/down.md");
        review(repo, 1, "head1", nit);
        stubComments(api, 1, drepsComment(7201, nit));
        stubReactions(api, 7201, reaction("-1", "octocat", "User"));
        fake.resetRequests();

        review(repo, 1, "head2", nit);

        String summary = body(fake.findAll(patchRequestedFor(urlPathMatching(api + "/issues/comments/\\d+"))).get(0))
                .path("body").asText();
        assertThat(summary).contains("- rejected (a 👎 on drep's comment; not raised again on this pull request): 1")
                .contains("- rejected: `docs/down.md:1` `" + RULE + "`, 👎 by `octocat`")
                .doesNotContain("- justified");
    }

    @Test
    void thumbsUpCountsTheFindingAcceptedOnce() throws Exception {
        String repo = repo("up");
        String api = "/repos/" + repo;
        GitHubFake.stubPullRequests(repo);
        Finding nit = nit("docs/up.md");
        review(repo, 1, "head1", nit);
        stubComments(api, 1, drepsComment(7301, nit));
        stubReactions(api, 7301, reaction("+1", "maria", "User"), reaction("+1", "octocat", "User"));
        double before = accepted();

        review(repo, 1, "head2", nit);
        review(repo, 1, "head3", nit);

        assertThat(accepted() - before).isEqualTo(1.0);
        assertThat(learnings(repo).learnings()).isEmpty();
    }

    @Test
    void aReactionOnACommentThatIsNotDrepsIsNotReadAndRecordsNothing() throws Exception {
        String repo = repo("others");
        String api = "/repos/" + repo;
        GitHubFake.stubPullRequests(repo);
        Finding nit = nit("docs/a.md");
        review(repo, 1, "head1", nit);
        // someone quoting drep's marker of a finding drep never posted here, and someone's plain comment
        Finding never = nit("docs/never.md");
        stubComments(api, 1, Map.of("id", 7401, "user", Map.of("login", "mallory", "type", "User"), "body",
                Markers.finding(fingerprint(never)) + "\n**info** `" + RULE + "`: quoted"),
                Map.of("id", 7402, "user", Map.of("login", "octocat", "type", "User"), "body", "looks good"));
        stubReactions(api, 7401, reaction("-1", "octocat", "User"));
        stubReactions(api, 7402, reaction("-1", "octocat", "User"));

        review(repo, 1, "head2", nit);

        assertThat(fake.findAll(getRequestedFor(urlPathMatching(api + "/pulls/comments/\\d+/reactions")))).isEmpty();
        assertThat(learnings(repo).learnings()).isEmpty();
    }

    @Test
    void drepsOwnAndBotsReactionsDoNotCount() throws Exception {
        String repo = repo("bots");
        String api = "/repos/" + repo;
        GitHubFake.stubPullRequests(repo);
        Finding nit = nit("docs/b.md");
        review(repo, 1, "head1", nit);
        // drep's comment is posted by a token user (type User): its own reaction is recognised as the comment's author
        stubComments(api, 1, Map.of("id", 7501, "user", Map.of("login", DREP, "type", "User"), "body",
                Markers.finding(fingerprint(nit)) + "\n**info** `" + RULE + "`: trailing whitespace\n"));
        stubReactions(api, 7501, reaction("-1", DREP, "User"), reaction("-1", "dependabot[bot]", "Bot"));
        double before = accepted();

        review(repo, 1, "head2", nit);

        assertThat(fake.findAll(getRequestedFor(urlPathEqualTo(api + "/pulls/comments/7501/reactions")))).hasSize(1);
        assertThat(learnings(repo).learnings()).isEmpty();
        assertThat(accepted()).isEqualTo(before);
    }

    @Test
    void aPlatformThatFailsToAnswerReactionsDoesNotStopThePublication() throws Exception {
        String repo = repo("faults");
        String api = "/repos/" + repo;
        GitHubFake.stubPullRequests(repo);
        Finding nit = nit("docs/c.md");
        review(repo, 1, "head1", nit);
        Finding second = nit("docs/d.md");
        review(repo, 2, "head1", second);
        stubComments(api, 1, drepsComment(7601, nit));
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/comments/7601/reactions")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"message\": \"Not Found\"}")));
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/2/comments")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"message\": \"Server Error\"}")));
        fake.resetRequests();

        review(repo, 1, "head2", nit);
        review(repo, 2, "head2", second);

        assertThat(fake.findAll(getRequestedFor(urlPathEqualTo(api + "/pulls/comments/7601/reactions")))).hasSize(1);
        assertThat(fake.findAll(postRequestedFor(urlPathEqualTo(api + "/issues/1/comments")))
                .size() + fake.findAll(com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(
                        urlPathMatching(api + "/issues/comments/\\d+"))).size()).as("both summaries are written")
                .isGreaterThanOrEqualTo(2);
        assertThat(learnings(repo).learnings()).isEmpty();
    }

    private void review(String repo, int number, String head, Finding... findings) throws Exception {
        String job = jobs.run(ReviewTarget.pullRequest(ref(repo, number, head)), null, List.of(findings), List.of(),
                List.of());
        assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);
    }

    private void stubComments(String api, int number, Object... comments) throws Exception {
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/" + number + "/comments"))
                .willReturn(okJson(JSON.writeValueAsString(List.of(comments)))));
    }

    private void stubReactions(String api, int comment, Object... reactions) throws Exception {
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/comments/" + comment + "/reactions"))
                .willReturn(okJson(JSON.writeValueAsString(List.of(reactions)))));
    }

    private static Map<String, Object> drepsComment(int id, Finding finding) {
        return Map.of("id", id, "user", Map.of("login", DREP, "type", "Bot"), "body",
                Markers.finding(fingerprint(finding)) + "\n**info** `" + RULE + "`: trailing whitespace\n");
    }

    private static Map<String, Object> reaction(String content, String login, String type) {
        return Map.of("id", UUID.randomUUID().hashCode(), "content", content, "user", Map.of("login", login, "type", type));
    }

    private double accepted() {
        var counter = registry.find("drep.publisher.finding.outcomes").tag("rule", RULE).tag("outcome", "accepted")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static String repo(String name) {
        return "acme/" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Finding nit(String path) {
        return new Finding(RULE, path, 1, Severity.INFO, "trailing whitespace", null);
    }

    private static PullRequestRef ref(String repo, int number, String head) {
        return new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null, number, "base" + number, null, head,
                PlatformFakes.TOKEN_REF);
    }

    private static RepositoryLearnings learnings(String repo) {
        return TestTokens.as(TestTokens.SCANNER_SERVICE)
                .queryParams(Map.of("platform", "github", "apiUrl", PlatformFakes.baseUrl(), "repository", repo))
                .get("/internal/learnings").then().statusCode(200).extract().as(RepositoryLearnings.class);
    }

    private static String fingerprint(Finding finding) {
        return FindingFingerprints.of(List.of(finding)).get(0).fingerprint();
    }
}
