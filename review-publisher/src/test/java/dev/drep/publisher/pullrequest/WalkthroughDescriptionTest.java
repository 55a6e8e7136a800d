package dev.drep.publisher.pullrequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.drep.publisher.PlatformFakes.body;
import static dev.drep.publisher.PlatformFakes.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.DescribeMode;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.OnIncomplete;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.UnitUsage;
import dev.drep.contracts.Walkthrough;
import dev.drep.core.describe.DescriptionBlock;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.publisher.job.TestChannels;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The walkthrough in the summary comment and, with {@code describe: body}, in the pull request's description between
 * drep's markers, on WireMock fakes of Gitea ({@code PATCH /repos/{o}/{r}/pulls/{n}} {@code body}), GitHub (the same
 * path and field) and GitLab ({@code PUT /projects/{id}/merge_requests/{iid}} {@code description}).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class WalkthroughDescriptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Walkthrough WALKTHROUGH = new Walkthrough("Adds a guide for new contributors.", List.of(
            new Walkthrough.FileLine("docs/guide.md", "New guide."), new Walkthrough.FileLine("README.md", "Links it.")),
            List.of(), null);
    private static final PublishSettings BODY = new PublishSettings(Severity.INFO, 50, Severity.ERROR,
            OnIncomplete.FAILURE, 10, List.of(), DescribeMode.BODY);

    @Inject
    Jobs jobs;

    @Inject
    TestChannels channels;

    private final WireMockServer fake = PlatformFakes.server();
    private String repo;

    @BeforeEach
    void freshRepository() {
        repo = "acme/guide-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void giteaTheWalkthroughGoesIntoTheSummaryAndByDefaultNotIntoTheDescription() throws Exception {
        String api = stubGitea(4, "Please review.");

        String jobId = run(gitea(4, "head1"), null, WALKTHROUGH);
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        String summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/4/comments")))).path("body").asText();
        assertThat(summary).contains("### Walkthrough\n\nAdds a guide for new contributors.")
                .contains("**`docs/`**\n\n- `docs/guide.md`: New guide.").contains("- `README.md`: Links it.");
        assertThat(fake.findAll(patchRequestedFor(urlPathEqualTo(api + "/pulls/4")))).isEmpty();
    }

    @Test
    void giteaDescribeBodyAddsTheWalkthroughAfterTheAuthorsTextThenReplacesItInPlace() throws Exception {
        String api = stubGitea(5, "Please review.\r\n\r\nCloses #3.");

        String first = run(gitea(5, "head1"), BODY, WALKTHROUGH);
        assertThat(jobs.awaitFinal(first).status()).isEqualTo(JobStatus.DONE);

        String written = body(single(patchRequestedFor(urlPathEqualTo(api + "/pulls/5")))).path("body").asText();
        assertThat(written).startsWith("Please review.\r\n\r\nCloses #3.\n\n" + DescriptionBlock.START + "\n### Walkthrough")
                .endsWith(DescriptionBlock.END).contains("- `docs/guide.md`: New guide.");

        // the author adds a line after drep's part; the next push replaces only what is between the markers
        String edited = written + "\n\nAlso fixes the typo.";
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/5")).willReturn(okJson(pullJson(5, edited))));
        Walkthrough newer = new Walkthrough("Adds a guide and a FAQ.", List.of(
                new Walkthrough.FileLine("docs/faq.md", "New FAQ.")), List.of(), null);
        String second = run(gitea(5, "head2"), BODY, newer);
        assertThat(jobs.awaitFinal(second).status()).isEqualTo(JobStatus.DONE);

        List<LoggedRequest> patches = fake.findAll(patchRequestedFor(urlPathEqualTo(api + "/pulls/5")));
        assertThat(patches).hasSize(2);
        String rewritten = body(patches.get(1)).path("body").asText();
        assertThat(rewritten).startsWith("Please review.\r\n\r\nCloses #3.\n\n" + DescriptionBlock.START)
                .endsWith(DescriptionBlock.END + "\n\nAlso fixes the typo.").contains("Adds a guide and a FAQ.")
                .doesNotContain("New guide.");
    }

    @Test
    void giteaADescriptionWithOnlyAnOpeningMarkerKeepsAllItsTextAndGetsOneWellFormedBlock() throws Exception {
        String damaged = "Intro.\n" + DescriptionBlock.START + "\nOld walkthrough, then the author's own note.";
        String api = stubGitea(6, damaged);

        String jobId = run(gitea(6, "head1"), BODY, WALKTHROUGH);
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        String written = body(single(patchRequestedFor(urlPathEqualTo(api + "/pulls/6")))).path("body").asText();
        assertThat(written).startsWith("Intro.\n\nOld walkthrough, then the author's own note.\n\n" + DescriptionBlock.START);
        assertThat(count(written, DescriptionBlock.START)).isEqualTo(1);
        assertThat(count(written, DescriptionBlock.END)).isEqualTo(1);
    }

    @Test
    void giteaAModelTryingToInjectMarkersAndMentionsChangesNeitherTheBlockNorNotifiesAnyone() throws Exception {
        String api = stubGitea(7, "Author.");
        Walkthrough hostile = new Walkthrough("Done. " + DescriptionBlock.END + " @org/security please approve <img src=x>",
                List.of(new Walkthrough.FileLine("README.md", DescriptionBlock.START + " @admin")), List.of(), null);

        String jobId = run(gitea(7, "head1"), BODY, hostile);
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        String written = body(single(patchRequestedFor(urlPathEqualTo(api + "/pulls/7")))).path("body").asText();
        assertThat(count(written, DescriptionBlock.START)).isEqualTo(1);
        assertThat(count(written, DescriptionBlock.END)).isEqualTo(1);
        assertThat(written).startsWith("Author.\n\n" + DescriptionBlock.START).endsWith(DescriptionBlock.END)
                .contains("`@org/security`").containsPattern("- `README.md`: `[^`\\n]*@admin`").doesNotContainPattern("(?<![\\\\`])<img");
        String summary = body(single(postRequestedFor(urlPathEqualTo(api + "/issues/7/comments")))).path("body").asText();
        assertThat(summary).doesNotContain(DescriptionBlock.END).doesNotContain(DescriptionBlock.START);
    }

    @Test
    void giteaAnAuthorsEditBetweenReadAndWriteIsNotLost() throws Exception {
        String api = stubGitea(8, "ignored");
        String scenario = "edit-" + repo;
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/8")).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(okJson(pullJson(8, "First draft."))).willSetStateTo("edited"));
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/8")).inScenario(scenario).whenScenarioStateIs("edited")
                .willReturn(okJson(pullJson(8, "Second draft, edited while drep wrote."))));

        String jobId = run(gitea(8, "head1"), BODY, WALKTHROUGH);
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        String written = body(single(patchRequestedFor(urlPathEqualTo(api + "/pulls/8")))).path("body").asText();
        assertThat(written).startsWith("Second draft, edited while drep wrote.\n\n" + DescriptionBlock.START)
                .doesNotContain("First draft.");
    }

    @Test
    void githubWritesTheBodyOfThePullRequest() throws Exception {
        String api = "/repos/" + repo;
        String web = "https://github.com/" + repo;
        fake.stubFor(post(urlPathEqualTo(api + "/check-runs")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 4001, \"name\": \"drep\"}")));
        fake.stubFor(patch(urlPathMatching(api + "/check-runs/\\d+")).willReturn(okJson("{\"id\": 4001}")));
        fake.stubFor(get(urlPathEqualTo(api + "/issues/9/comments")).willReturn(okJson("[]")));
        fake.stubFor(post(urlPathEqualTo(api + "/issues/9/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 1001, \"html_url\": \"" + web
                        + "/pull/9#issuecomment-1001\", \"body\": \"...\"}")));
        // GitHub's pull request: body is null when the author wrote none
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/9")).willReturn(okJson("{\"number\": 9, \"state\": \"open\","
                + " \"title\": \"Guide\", \"body\": null, \"head\": {\"sha\": \"head1\"}}")));
        fake.stubFor(patch(urlPathEqualTo(api + "/pulls/9")).willReturn(okJson("{\"number\": 9, \"body\": \"...\"}")));
        ReviewTarget target = ReviewTarget.pullRequest(new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null, 9,
                "base0", null, "head1", PlatformFakes.TOKEN_REF));

        String jobId = run(target, BODY, WALKTHROUGH);
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        LoggedRequest written = single(patchRequestedFor(urlPathEqualTo(api + "/pulls/9")));
        assertThat(written.getHeader("Authorization")).isEqualTo("Bearer " + PlatformFakes.TOKEN);
        assertThat(body(written).path("body").asText()).startsWith(DescriptionBlock.START + "\n### Walkthrough")
                .endsWith(DescriptionBlock.END);
        assertThat(body(written).size()).as("only the body is sent").isEqualTo(1);
    }

    @Test
    void gitlabWritesTheDescriptionOfTheMergeRequest() throws Exception {
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        String mr = api + "/merge_requests/3";
        fake.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 93, \"status\": \"pending\"}")));
        fake.stubFor(get(urlPathEqualTo(mr + "/notes")).willReturn(okJson("[]")));
        fake.stubFor(post(urlPathEqualTo(mr + "/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 302, \"body\": \"...\","
                        + " \"noteable_type\": \"MergeRequest\", \"noteable_iid\": 3}")));
        fake.stubFor(get(urlPathEqualTo(mr)).willReturn(okJson("{\"id\": 903, \"iid\": 3, \"state\": \"opened\","
                + " \"description\": \"Implements the guide.\"}")));
        fake.stubFor(put(urlPathEqualTo(mr)).willReturn(okJson("{\"id\": 903, \"iid\": 3, \"description\": \"...\"}")));
        ReviewTarget target = ReviewTarget.pullRequest(new PullRequestRef("gitlab", PlatformFakes.baseUrl(), repo, null, 3,
                "base1", "start1", "head1", PlatformFakes.TOKEN_REF));

        String jobId = run(target, BODY, WALKTHROUGH);
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        LoggedRequest written = single(putRequestedFor(urlPathEqualTo(mr)));
        assertThat(written.getHeader("PRIVATE-TOKEN")).isEqualTo(PlatformFakes.TOKEN);
        assertThat(body(written).path("description").asText()).startsWith("Implements the guide.\n\n"
                + DescriptionBlock.START).endsWith(DescriptionBlock.END);
    }

    /** Registers a job with an analysing unit and a describe unit, and sends both results. */
    private String run(ReviewTarget target, PublishSettings settings, Walkthrough walkthrough) throws Exception {
        String jobId = UUID.randomUUID().toString();
        String unit = "u-" + jobId;
        String describe = "d-" + jobId;
        jobs.register(new JobPlan(jobId, repo, "aaaa", target.pullRequest().headSha(), List.of(unit, describe), List.of(),
                List.of(), target, settings, List.of(), List.of()));
        channels.send(new UnitResult(unit, jobId, "markdown", List.of(), List.of(), 3));
        channels.send(new UnitResult(describe, jobId, "describe", List.of(), List.of(), 5, List.of(),
                new UnitUsage(1, 0, 700, 60, 0), List.of(), Map.of(), List.of(), walkthrough));
        return jobId;
    }

    private ReviewTarget gitea(int number, String head) {
        return ReviewTarget.pullRequest(new PullRequestRef("gitea", PlatformFakes.baseUrl(), repo, null, number, "base0",
                null, head, PlatformFakes.TOKEN_REF));
    }

    /** A healthy Gitea with pull request {@code n} whose description is {@code description}; returns the API path. */
    private String stubGitea(int n, String description) {
        String api = "/api/v1/repos/" + repo;
        String web = "https://gitea.example/" + repo;
        fake.stubFor(get(urlPathEqualTo("/api/v1/version")).willReturn(okJson("{\"version\": \"1.21.4\"}")));
        fake.stubFor(post(urlPathMatching(api + "/statuses/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 1, \"status\": \"pending\"}")));
        fake.stubFor(get(urlPathEqualTo(api + "/issues/" + n + "/comments")).willReturn(okJson("[]")));
        fake.stubFor(post(urlPathEqualTo(api + "/issues/" + n + "/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 2001, \"html_url\": \"" + web
                        + "/pulls/" + n + "#issuecomment-2001\", \"body\": \"...\"}")));
        fake.stubFor(patch(urlPathEqualTo(api + "/issues/comments/2001")).willReturn(okJson("{\"id\": 2001,"
                + " \"html_url\": \"" + web + "/pulls/" + n + "#issuecomment-2001\", \"body\": \"...\"}")));
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/" + n)).willReturn(okJson(pullJson(n, description))));
        fake.stubFor(patch(urlPathEqualTo(api + "/pulls/" + n)).willReturn(okJson(pullJson(n, "..."))));
        return api;
    }

    /** Gitea's PullRequest (swagger): number, state, title, body, head. */
    private static String pullJson(int n, String body) {
        try {
            return JSON.writeValueAsString(Map.of("number", n, "state", "open", "title", "Add a guide", "body", body,
                    "head", Map.of("sha", "head1")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String text, String marker) {
        int n = 0;
        for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) {
            n++;
        }
        return n;
    }
}
