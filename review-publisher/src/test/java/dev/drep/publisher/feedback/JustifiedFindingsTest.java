package dev.drep.publisher.feedback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drep.contracts.CommandReply.CommentPlace;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.JustifiedReply;
import dev.drep.contracts.LineEdit;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.GitHubFake;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.publisher.posting.Markers;
import dev.drep.publisher.posting.ScopeKeys;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Justified findings (issue 17, item 3): a reply in the thread of drep's inline finding that explains why the code is
 * right ({@code PUT /internal/justifications/{key}}, handed over by the scanner) keeps that finding from being raised
 * again on the pull request, and the summary lists it as justified. A thread that is not drep's records nothing.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class JustifiedFindingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Finding JUSTIFIED = new Finding("md.trailing-whitespace", "README.md", 3, Severity.WARNING,
            "trailing whitespace", null);
    private static final Finding OTHER = new Finding("md.line-length", "docs/kept.md", 10, Severity.WARNING,
            "line is 130 characters long (limit 120)", null);
    private static final List<Finding> BOTH = List.of(JUSTIFIED, OTHER);

    @Inject
    Jobs jobs;
    @Inject
    JustifiedFindings justified;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private final WireMockServer fake = PlatformFakes.server();

    @Test
    void aFindingJustifiedInItsGithubThreadIsNotRaisedAgainAndTheSummaryListsIt() throws Exception {
        String repo = "acme/docs-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/repos/" + repo;
        String web = "https://github.com/" + repo;
        GitHubFake.stubPullRequests(repo);
        fake.stubFor(post(urlPathEqualTo(api + "/pulls/7/reviews")).willReturn(okJson("{\"id\": 80, \"state\":"
                + " \"COMMENTED\", \"html_url\": \"" + web + "/pull/7#pullrequestreview-80\"}")));
        fake.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson("{\"data\": {\"repository\": {\"pullRequest\":"
                + " {\"reviewThreads\": {\"pageInfo\": {\"hasNextPage\": false}, \"nodes\": []}}}}}")));
        // drep's comment on the justified finding (GET /repos/{o}/{r}/pulls/comments/{id}, GitHub's documented shape)
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/comments/5001")).willReturn(okJson(JSON.writeValueAsString(
                Map.of("id", 5001, "path", "README.md", "line", 3, "user", Map.of("login", "drep-bot", "type", "Bot"),
                        "body", Markers.finding(fingerprint(JUSTIFIED)) + "\n**warning** `" + JUSTIFIED.rule()
                                + "`: trailing whitespace\n")))));
        // someone else's diff comment, quoting nothing of drep's
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/comments/5002")).willReturn(okJson("{\"id\": 5002,"
                + " \"path\": \"README.md\", \"body\": \"Should this be a heading?\"}")));
        PullRequestRef ref = new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null, 7, "base0", null, "head1",
                PlatformFakes.TOKEN_REF);

        String first = jobs.run(ReviewTarget.pullRequest(ref), null, BOTH, List.of(), List.of());
        assertThat(jobs.awaitFinal(first).status()).isEqualTo(JobStatus.DONE);
        assertThat(fake.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/7/reviews")))).hasSize(1);

        double rejected = outcomes("rejected");
        double accepted = outcomes("accepted");
        justify(new JustifiedReply("review_comment:6001", ref, new CommentPlace(CommentPlace.REVIEW_COMMENT, "5001", null),
                "octocat", "This is intentional: markdown line breaks.")).statusCode(200)
                .body("fingerprints", Matchers.contains(fingerprint(JUSTIFIED)));
        justify(new JustifiedReply("review_comment:6002", ref, new CommentPlace(CommentPlace.REVIEW_COMMENT, "5002", null),
                "octocat", "This is intentional.")).statusCode(404).body("error", Matchers.is("not_drep_thread"));
        // a redelivery changes nothing
        justify(new JustifiedReply("review_comment:6001", ref, new CommentPlace(CommentPlace.REVIEW_COMMENT, "5001", null),
                "someone-else", "again")).statusCode(200);

        assertThat(outcomes("rejected")).as("the justification, counted once").isEqualTo(rejected + 1);

        // push 2 analyses README.md and no longer finds it (its thread is resolved), push 3 finds it again
        fake.resetRequests();
        // (push 2 changed the finding's line: a thread is resolved only when its lines changed)
        String fixed = jobs.run(jobs.plan(ReviewTarget.pullRequest(withHead(ref, "head2"))).analysing(List.of("README.md",
                "docs/kept.md")).incrementalSince("head1", List.of())
                .withChangesSincePrevious(Map.of("README.md", List.of(new LineEdit(3, 1, 3, 1)))), List.of(OTHER));
        assertThat(jobs.awaitFinal(fixed).status()).isEqualTo(JobStatus.DONE);
        assertThat(outcomes("accepted")).as("its line changed and it no longer reproduces").isEqualTo(accepted + 1);
        String back = jobs.run(jobs.plan(ReviewTarget.pullRequest(withHead(ref, "head3"))).analysing(List.of("README.md",
                "docs/kept.md")), BOTH);
        assertThat(jobs.awaitFinal(back).status()).isEqualTo(JobStatus.DONE);

        assertThat(fake.findAll(postRequestedFor(urlPathEqualTo(api + "/pulls/7/reviews"))))
                .as("the justified finding came back and was not commented on again").isEmpty();
        String summary = body(fake.findAll(patchRequestedFor(urlPathEqualTo(api + "/issues/comments/1001"))).get(1))
                .path("body").asText();
        assertThat(summary).contains("- justified (a reply explained why the code is right; not raised again on this"
                        + " pull request): 1")
                .contains("- justified: `README.md:3` `md.trailing-whitespace`, by `octocat`")
                .contains("- open: `docs/kept.md:10`").doesNotContain("- open: `README.md");
        assertThat(justified.of(ScopeKeys.pullRequest(ref)).values()).singleElement().satisfies(j -> {
            assertThat(j.author()).isEqualTo("octocat");
            assertThat(j.rule()).isEqualTo("md.trailing-whitespace");
        });
    }

    @Test
    void aFindingJustifiedInItsGitlabDiscussionIsListedAsJustifiedNotOpen() throws Exception {
        String repo = "acme/handbook-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        String mr = api + "/merge_requests/3";
        fake.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 93, \"status\": \"pending\"}")));
        for (Finding f : BOTH) {
            String id = "d-" + f.rule();
            fake.stubFor(post(urlPathEqualTo(mr + "/discussions"))
                    .withRequestBody(matchingJsonPath("$.position.new_path", equalTo(f.path())))
                    .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                            .withBody("{\"id\": \"" + id + "\", \"individual_note\": false, \"notes\": [{\"id\": 11"
                                    + BOTH.indexOf(f) + ", \"type\": \"DiffNote\", \"body\": \"...\", \"system\": false,"
                                    + " \"resolvable\": true, \"resolved\": false}]}")));
        }
        // GET .../discussions/:id, as GitLab documents it: the first note is drep's, the second the reply
        fake.stubFor(get(urlPathEqualTo(mr + "/discussions/d-" + JUSTIFIED.rule())).willReturn(okJson(JSON
                .writeValueAsString(Map.of("id", "d-" + JUSTIFIED.rule(), "individual_note", false,
                        "notes", List.of(Map.of("id", 110, "type", "DiffNote", "body",
                                        Markers.finding(fingerprint(JUSTIFIED)) + "\n**warning** `md.trailing-whitespace`: x",
                                        "author", Map.of("username", "drep-bot")),
                                Map.of("id", 120, "type", "DiffNote", "body", "By design.",
                                        "author", Map.of("username", "maria"))))))));
        fake.stubFor(put(urlPathMatching(mr + "/discussions/.+")).willReturn(okJson("{\"id\": \"x\", \"notes\": []}")));
        fake.stubFor(get(urlPathEqualTo(mr + "/notes")).willReturn(okJson("[]")));
        fake.stubFor(post(urlPathEqualTo(mr + "/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 302, \"body\": \"...\","
                        + " \"system\": false}")));
        fake.stubFor(put(urlPathEqualTo(mr + "/notes/302")).willReturn(okJson("{\"id\": 302, \"body\": \"...\"}")));
        PullRequestRef ref = new PullRequestRef("gitlab", PlatformFakes.baseUrl(), repo, null, 3, "base1", "start1",
                "head1", PlatformFakes.TOKEN_REF);

        String first = jobs.run(ReviewTarget.pullRequest(ref), null, BOTH, List.of(), List.of());
        assertThat(jobs.awaitFinal(first).status()).isEqualTo(JobStatus.DONE);
        justify(new JustifiedReply("note:120", ref, new CommentPlace(CommentPlace.DISCUSSION, "120", "d-"
                + JUSTIFIED.rule()), "maria", "By design.")).statusCode(200);
        String second = jobs.run(jobs.plan(ReviewTarget.pullRequest(withHead(ref, "head2"))).analysing(List.of()), BOTH);
        assertThat(jobs.awaitFinal(second).status()).isEqualTo(JobStatus.DONE);

        String summary = body(fake.findAll(putRequestedFor(urlPathEqualTo(mr + "/notes/302"))).get(0)).path("body").asText();
        assertThat(summary).contains("- still open from earlier pushes: 1").contains("- justified: `README.md:3`")
                .contains("by `maria`").doesNotContain("- open: `README.md");
        assertThat(fake.findAll(postRequestedFor(urlPathEqualTo(mr + "/discussions")))).hasSize(2);
    }

    /** drep_publisher_finding_outcomes_total of the justified finding's rule */
    private double outcomes(String outcome) {
        var counter = registry.find("drep.publisher.finding.outcomes").tag("rule", JUSTIFIED.rule())
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static PullRequestRef withHead(PullRequestRef ref, String head) {
        return new PullRequestRef(ref.platform(), ref.apiUrl(), ref.repository(), ref.projectId(), ref.number(),
                ref.baseSha(), ref.startSha(), head, ref.tokenRef());
    }

    private static ValidatableResponse justify(JustifiedReply reply) throws Exception {
        return TestTokens.as(TestTokens.SCANNER_SERVICE).contentType(ContentType.JSON).body(JSON.writeValueAsString(reply))
                .put("/internal/justifications/" + reply.replyKey()).then();
    }

    private static String fingerprint(Finding finding) {
        return FindingFingerprints.of(BOTH).stream().filter(f -> f.finding().equals(finding)).findFirst()
                .orElseThrow().fingerprint();
    }
}
