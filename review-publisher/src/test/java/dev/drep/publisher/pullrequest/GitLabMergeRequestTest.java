package dev.drep.publisher.pullrequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.drep.publisher.PlatformFakes.body;
import static dev.drep.publisher.PlatformFakes.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.Finding;
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
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.commonmark.node.FencedCodeBlock;
import org.junit.jupiter.api.Test;

/**
 * Reviews posted on GitLab merge requests, against a WireMock GitLab answering with the shapes of the
 * REST API v4: discussions with diff positions, notes, commit statuses.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class GitLabMergeRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Jobs jobs;

    private final WireMockServer gitlab = PlatformFakes.server();

    @Test
    void discussionsCarryTheDiffPositionARejectedOneMovesToTheSummaryAndTheNoteIsEditedInPlace() throws Exception {
        String repo = "acme/handbook-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        String mr = api + "/merge_requests/3";
        gitlab.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 93, \"sha\": \"head1\","
                        + " \"ref\": \"feature\", \"status\": \"pending\", \"name\": \"drep\", \"allow_failure\": false}")));
        gitlab.stubFor(post(urlPathEqualTo(mr + "/discussions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"6a9c1750b37d513a43987b574953fceb50b03ce7\", \"individual_note\": false,"
                        + " \"notes\": [{\"id\": 1126, \"type\": \"DiffNote\", \"body\": \"...\", \"system\": false,"
                        + " \"noteable_type\": \"MergeRequest\", \"noteable_iid\": 3, \"resolvable\": true}]}")));
        gitlab.stubFor(post(urlPathEqualTo(mr + "/discussions"))
                .withRequestBody(matchingJsonPath("$.position.new_path", equalTo("docs/outside.md")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"400 Bad request - Note {:line_code=>[\\\"can't be blank\\\","
                                + " \\\"must be a valid line code\\\"]}\"}")));
        gitlab.stubFor(get(urlPathEqualTo(mr + "/notes")).willReturn(okJson("[]")));
        gitlab.stubFor(post(urlPathEqualTo(mr + "/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 302, \"type\": null, \"body\": \"...\","
                        + " \"author\": {\"username\": \"drep-bot\"}, \"system\": false, \"noteable_id\": 377,"
                        + " \"noteable_type\": \"MergeRequest\", \"noteable_iid\": 3}")));
        gitlab.stubFor(put(urlPathEqualTo(mr + "/notes/302")).willReturn(okJson("{\"id\": 302, \"body\": \"...\","
                + " \"system\": false, \"noteable_type\": \"MergeRequest\", \"noteable_iid\": 3}")));

        Finding inside = new Finding("md.unclosed-fence", "README.md", 3, Severity.ERROR, "close the code fence", "```");
        Finding outside = new Finding("md.tab", "docs/outside.md", 9, Severity.WARNING, "tab character", null);
        String first = jobs.run(target(repo, "head1"), null, List.of(inside, outside), List.of(), List.of());
        // GitLab notes have no web URL: the link is the merge request page with the note's anchor
        assertThat(jobs.awaitFinal(first).outputs())
                .containsExactly(PlatformFakes.baseUrl() + "/" + repo + "/-/merge_requests/3#note_302");

        List<LoggedRequest> discussions = gitlab.findAll(postRequestedFor(urlPathEqualTo(mr + "/discussions")));
        assertThat(discussions).hasSize(2);
        assertThat(discussions).allMatch(r -> PlatformFakes.TOKEN.equals(r.getHeader("PRIVATE-TOKEN")));
        JsonNode posted = body(discussions.get(0));
        JsonNode position = posted.path("position");
        assertThat(position.path("position_type").asText()).isEqualTo("text");
        assertThat(position.path("base_sha").asText()).isEqualTo("base1");
        assertThat(position.path("start_sha").asText()).isEqualTo("start1");
        assertThat(position.path("head_sha").asText()).isEqualTo("head1");
        assertThat(position.path("new_path").asText()).isEqualTo("README.md");
        assertThat(position.path("old_path").asText()).isEqualTo("README.md");
        assertThat(position.path("new_line").asInt()).isEqualTo(3);
        assertThat(posted.path("body").asText()).contains("````suggestion:-0+0\n```\n````");

        String note = body(single(postRequestedFor(urlPathEqualTo(mr + "/notes")))).path("body").asText();
        assertThat(note).startsWith("<!-- drep:summary -->").contains("`docs/outside.md:9`")
                .contains("line_code").contains("new on this push: 1").contains("**failure**");

        List<LoggedRequest> statuses = gitlab.findAll(postRequestedFor(urlPathEqualTo(api + "/statuses/head1")));
        assertThat(statuses).extracting(r -> body(r).path("state").asText()).containsExactly("pending", "failed");
        assertThat(body(statuses.get(1)).path("name").asText()).isEqualTo("drep");

        // next push: the error stays (already commented on), the rejected one is tried again
        String second = jobs.run(target(repo, "head2"), null, List.of(inside, outside), List.of(), List.of());
        assertThat(jobs.awaitFinal(second).status()).isEqualTo(JobStatus.DONE);
        List<LoggedRequest> all = gitlab.findAll(postRequestedFor(urlPathEqualTo(mr + "/discussions")));
        assertThat(all).hasSize(3);
        assertThat(body(all.get(2)).path("position").path("new_path").asText()).isEqualTo("docs/outside.md");
        assertThat(gitlab.findAll(postRequestedFor(urlPathEqualTo(mr + "/notes")))).hasSize(1);
        assertThat(body(single(putRequestedFor(urlPathEqualTo(mr + "/notes/302")))).path("body").asText())
                .contains("already commented on by an earlier push (not repeated): 1").contains("Reviewed head `head2`");
    }

    @Test
    void aCommentOnARenamedFileNamesItsOldPathInThePosition() throws Exception {
        String repo = "acme/handbook-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        String mr = api + "/merge_requests/3";
        gitlab.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 94, \"status\": \"pending\"}")));
        gitlab.stubFor(post(urlPathEqualTo(mr + "/discussions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"d1\", \"notes\": [{\"id\": 1201,"
                        + " \"type\": \"DiffNote\", \"body\": \"...\", \"system\": false}]}")));
        gitlab.stubFor(get(urlPathEqualTo(mr + "/notes")).willReturn(okJson("[]")));
        gitlab.stubFor(post(urlPathEqualTo(mr + "/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 303, \"body\": \"...\", \"system\": false}")));

        Finding onRenamed = new Finding("md.tab", "docs/guide.md", 4, Severity.WARNING, "tab character", "a\tb");
        Finding onKept = new Finding("md.tab", "README.md", 2, Severity.WARNING, "tab character", "c\td");
        String job = jobs.run(jobs.plan(target(repo, "head1")).withRenames(Map.of("docs/guide.md", "docs/intro.md")),
                List.of(onRenamed, onKept));
        assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);

        List<LoggedRequest> discussions = gitlab.findAll(postRequestedFor(urlPathEqualTo(mr + "/discussions")));
        assertThat(discussions).extracting(r -> body(r).path("position"))
                .extracting(p -> p.path("old_path").asText() + " -> " + p.path("new_path").asText() + ":"
                        + p.path("new_line").asInt())
                .containsExactlyInAnyOrder("docs/intro.md -> docs/guide.md:4", "README.md -> README.md:2");
    }

    @Test
    void aSuggestionReplacingSeveralLinesCountsTheLinesBelowTheCommentedOne() throws Exception {
        String repo = "acme/handbook-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        String mr = api + "/merge_requests/3";
        gitlab.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 95, \"status\": \"pending\"}")));
        gitlab.stubFor(post(urlPathEqualTo(mr + "/discussions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"d2\", \"notes\": [{\"id\": 1301,"
                        + " \"type\": \"DiffNote\", \"body\": \"...\", \"system\": false}]}")));
        gitlab.stubFor(get(urlPathEqualTo(mr + "/notes")).willReturn(okJson("[]")));
        gitlab.stubFor(post(urlPathEqualTo(mr + "/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 304, \"body\": \"...\", \"system\": false}")));

        Finding range = new Finding("doc.poor", "src/Calc.java", 5, Severity.INFO,
                "The documentation of the public method `add` is a placeholder (TODO).",
                "    /**\n     * Adds two numbers.\n     */").withEndLine(7);
        Finding oneLine = new Finding("md.tab", "README.md", 2, Severity.WARNING, "tab character", "a b");
        List<Finding> findings = List.of(range, oneLine);
        String job = jobs.run(target(repo, "head1"), null, findings, List.of(), List.of());
        assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);

        // "Apply suggestion" replaces the commented line and the N lines below it: lines 5 to 7
        assertThat(gitlab.findAll(postRequestedFor(urlPathEqualTo(mr + "/discussions")))).extracting(r -> body(r))
                .containsExactlyInAnyOrder(
                        discussion(marker(findings, oneLine) + "\n**warning** `md.tab`: tab character\n\n"
                                + "```suggestion:-0+0\na b\n```\n", "README.md", 2),
                        discussion(marker(findings, range) + "\n**info** `doc.poor`: The documentation of the public"
                                + " method `add` is a placeholder (TODO).\n\n```suggestion:-0+2\n    /**\n"
                                + "     * Adds two numbers.\n     */\n```\n", "src/Calc.java", 5));
    }

    @Test
    void anIncompleteReviewWithOnIncompleteNeutralIsSuccessOnGitlabWithADescriptionSayingItIsIncomplete() throws Exception {
        String repo = "acme/handbook-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        String mr = api + "/merge_requests/3";
        gitlab.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 96, \"status\": \"pending\"}")));
        gitlab.stubFor(get(urlPathEqualTo(mr + "/notes")).willReturn(okJson("[]")));
        gitlab.stubFor(post(urlPathEqualTo(mr + "/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 305, \"body\": \"...\", \"system\": false}")));

        PublishSettings neutral = new PublishSettings(Severity.INFO, 50, Severity.ERROR, OnIncomplete.NEUTRAL);
        String job = jobs.run(target(repo, "head1"), neutral, List.of(), List.of(),
                List.of(new NotAnalyzed("docs/guide.md", "not analyzed: LLM budget exhausted")));
        assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);

        // GitLab's statuses have no neutral state every version accepts
        List<LoggedRequest> statuses = gitlab.findAll(postRequestedFor(urlPathEqualTo(api + "/statuses/head1")));
        assertThat(statuses).extracting(r -> body(r).path("state").asText()).containsExactly("pending", "success");
        assertThat(body(statuses.get(1)).path("description").asText())
                .isEqualTo("incomplete review: 1 file could not be analysed: docs/guide.md");
    }

    private static JsonNode discussion(String body, String path, int line) {
        ObjectNode discussion = JSON.createObjectNode().put("body", body);
        discussion.putObject("position").put("position_type", "text").put("base_sha", "base1").put("start_sha", "start1")
                .put("head_sha", "head1").put("old_path", path).put("new_path", path).put("new_line", line);
        return discussion;
    }

    @Test
    void whatTheModelWroteReachesGitlabWithoutMentionsImagesForeignLinksOrHtml() throws Exception {
        String repo = "acme/handbook-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        String mr = api + "/merge_requests/3";
        gitlab.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 96, \"status\": \"pending\"}")));
        gitlab.stubFor(post(urlPathEqualTo(mr + "/discussions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"d3\", \"notes\": [{\"id\": 1401,"
                        + " \"type\": \"DiffNote\", \"body\": \"...\", \"system\": false}]}")));
        gitlab.stubFor(get(urlPathEqualTo(mr + "/notes")).willReturn(okJson("[]")));
        gitlab.stubFor(post(urlPathEqualTo(mr + "/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 305, \"body\": \"...\", \"system\": false}")));

        Finding inline = UntrustedAnswers.inline("src/App.java", 3);
        Finding outside = UntrustedAnswers.elsewhere("src/App.java", 40);
        String job = jobs.run(target(repo, "head1"), null, List.of(inline), List.of(outside), List.of());
        assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);

        String discussion = body(single(postRequestedFor(urlPathEqualTo(mr + "/discussions")))).path("body").asText();
        UntrustedAnswers.assertDefused(discussion, Set.of());
        UntrustedAnswers.assertMarkers(discussion, Set.of(FindingFingerprints.of(List.of(inline)).get(0).fingerprint()));
        assertThat(UntrustedAnswers.fences(discussion, "suggestion:-0+0")).extracting(FencedCodeBlock::getLiteral)
                .as("the suggestion stays in its block, as written").containsExactly(UntrustedAnswers.SUGGESTION + "\n");

        String note = body(single(postRequestedFor(urlPathEqualTo(mr + "/notes")))).path("body").asText();
        UntrustedAnswers.assertDefused(note, Set.of("<sub>", "</sub>"));
        UntrustedAnswers.assertMarkers(note, Set.of());
    }

    @Test
    void aFindingTheVerifierDidNotConfirmIsFoldedInTheSummaryMadeSafeAndNeverPostedInline() throws Exception {
        String repo = "acme/handbook-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        String mr = api + "/merge_requests/3";
        gitlab.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 97, \"status\": \"pending\"}")));
        gitlab.stubFor(get(urlPathEqualTo(mr + "/notes")).willReturn(okJson("[]")));
        gitlab.stubFor(post(urlPathEqualTo(mr + "/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 306, \"body\": \"...\", \"system\": false}")));

        Finding unsure = UntrustedAnswers.inline("src/App.java", 3).withConfidence(0.4);
        String job = jobs.runWithLowConfidence(target(repo, "head1"), List.of(), List.of(unsure));
        assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);

        gitlab.verify(0, postRequestedFor(urlPathEqualTo(mr + "/discussions")));
        String note = body(single(postRequestedFor(urlPathEqualTo(mr + "/notes")))).path("body").asText();
        assertThat(note).contains("<details>\n<summary>Low confidence: 1 finding the verifier did not confirm</summary>")
                .contains("`src/App.java:3` error [llm.security] ").contains("(confidence 40 %)")
                .contains("no findings");
        UntrustedAnswers.assertDefused(note, Set.of("<sub>", "</sub>", "<details>",
                "<summary>Low confidence: 1 finding the verifier did not confirm</summary>", "</details>"));
        UntrustedAnswers.assertMarkers(note, Set.of());
    }

    private static String marker(List<Finding> findings, Finding finding) {
        return Markers.finding(FindingFingerprints.of(findings).stream().filter(f -> f.finding().equals(finding))
                .findFirst().orElseThrow().fingerprint());
    }

    private static ReviewTarget target(String repo, String head) {
        String n = head.substring("head".length());
        return ReviewTarget.pullRequest(new PullRequestRef("gitlab", PlatformFakes.baseUrl(), repo, null, 3,
                "base" + n, "start" + n, head, PlatformFakes.TOKEN_REF));
    }
}
