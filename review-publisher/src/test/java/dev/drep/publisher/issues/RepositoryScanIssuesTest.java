package dev.drep.publisher.issues;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import static dev.drep.publisher.PlatformFakes.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.publisher.UntrustedAnswers;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Repository scans open issues, de-duplicated by fingerprint and by the markers in open issues, and close
 * them once a later scan that looked at the finding's file no longer finds it, with a comment naming the
 * scan's head; files the scan did not analyse (or not completely) keep their issues.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class RepositoryScanIssuesTest {
    @Inject
    Jobs jobs;
    @Inject
    ObjectMapper json;

    private final WireMockServer platform = PlatformFakes.server();

    @Test
    void aScanOpensOneIssuePerNewFindingAndNeverTheSameTwice() throws Exception {
        String repo = "acme/site-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/repos/" + repo;
        Finding tab = new Finding("md.tab", "README.md", 2, Severity.WARNING, "tab character", null);
        Finding fence = new Finding("md.unclosed-fence", "docs/a.md", 7, Severity.ERROR, "close the code fence", null);
        Finding outside = new Finding("llm.clarity", "docs/b.md", 1, Severity.INFO, "the introduction never says what"
                + " the tool is for", null);
        String fenceFingerprint = FindingFingerprints.of(List.of(fence)).get(0).fingerprint();
        // the fence already has an open issue (opened by drep before its records were lost); #42 is a pull request
        platform.stubFor(get(urlPathEqualTo(api + "/issues")).willReturn(okJson("[{\"number\": 41, \"state\": \"open\","
                + " \"title\": \"drep: md.unclosed-fence\", \"html_url\": \"https://github.com/" + repo + "/issues/41\","
                + " \"body\": \"<!-- drep:finding:" + fenceFingerprint + " -->\\n**error**\"}, {\"number\": 42,"
                + " \"state\": \"open\", \"pull_request\": {\"url\": \"https://api.github.com/repos/" + repo
                + "/pulls/42\"}, \"body\": \"<!-- drep:finding:" + fenceFingerprint + " -->\"}]")));
        platform.stubFor(post(urlPathEqualTo(api + "/issues")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"number\": 50, \"state\": \"open\","
                        + " \"html_url\": \"https://github.com/" + repo + "/issues/50\", \"body\": \"...\"}")));

        PublishSettings settings = new PublishSettings(Severity.INFO, 50, Severity.ERROR);
        ReviewTarget target = new ReviewTarget(ReviewTarget.ISSUES, null, new PullRequestRef("github",
                PlatformFakes.baseUrl(), repo, null, 0, null, null, "scan1", PlatformFakes.TOKEN_REF));
        String first = jobs.run(target, settings, List.of(tab, fence), List.of(outside), List.of());
        JobEvent done = jobs.awaitFinal(first);
        assertThat(done.status()).isEqualTo(JobStatus.DONE);
        assertThat(done.outputs()).containsExactly("https://github.com/" + repo + "/issues/50",
                "https://github.com/" + repo + "/issues/50");

        List<LoggedRequest> opened = platform.findAll(postRequestedFor(urlPathEqualTo(api + "/issues")));
        assertThat(opened).hasSize(2);
        assertThat(opened).allMatch(r -> ("Bearer " + PlatformFakes.TOKEN).equals(r.getHeader("Authorization")));
        JsonNode firstIssue = body(opened.get(0));
        assertThat(firstIssue.path("title").asText()).isEqualTo("drep: md.tab in README.md: tab character");
        assertThat(firstIssue.path("body").asText()).startsWith("<!-- drep:finding:").contains("`README.md:2`");
        assertThat(body(opened.get(1)).path("title").asText()).startsWith("drep: llm.clarity in docs/b.md");
        // a scan sets no commit status
        assertThat(platform.findAll(postRequestedFor(urlPathMatching(api + "/(check-runs|statuses/.*)")))).isEmpty();

        String second = jobs.run(target, settings, List.of(tab, fence), List.of(outside), List.of());
        assertThat(jobs.awaitFinal(second).status()).isEqualTo(JobStatus.DONE);
        assertThat(platform.findAll(postRequestedFor(urlPathEqualTo(api + "/issues")))).hasSize(2);
        // everything is recorded: the second scan does not even list the open issues
        assertThat(platform.findAll(getRequestedFor(urlPathEqualTo(api + "/issues")))).hasSize(1);
    }

    @Test
    void anIssueOpenedForAModelFindingNotifiesNobodyAndCarriesNoImageForeignLinkOrHtml() throws Exception {
        String repo = "acme/site-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/repos/" + repo;
        platform.stubFor(get(urlPathEqualTo(api + "/issues")).willReturn(okJson("[]")));
        platform.stubFor(post(urlPathEqualTo(api + "/issues")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"number\": 60, \"state\": \"open\","
                        + " \"html_url\": \"https://github.com/" + repo + "/issues/60\", \"body\": \"...\"}")));
        Finding finding = UntrustedAnswers.inline("src/App.java", 3);
        ReviewTarget target = new ReviewTarget(ReviewTarget.ISSUES, null, new PullRequestRef("github",
                PlatformFakes.baseUrl(), repo, null, 0, null, null, "scan1", PlatformFakes.TOKEN_REF));
        String job = jobs.run(target, PublishSettings.DEFAULTS, List.of(finding), List.of(), List.of());
        assertThat(jobs.awaitFinal(job).status()).isEqualTo(JobStatus.DONE);

        JsonNode issue = body(single(postRequestedFor(urlPathEqualTo(api + "/issues"))));
        UntrustedAnswers.assertDefused(issue.path("body").asText(), java.util.Set.of("<sub>", "</sub>"));
        UntrustedAnswers.assertMarkers(issue.path("body").asText(), java.util.Set.of(
                FindingFingerprints.of(List.of(finding)).get(0).fingerprint()));
        // a title is plain text: a word joiner after the @ keeps it from being a mention
        assertThat(issue.path("title").asText()).startsWith("drep: llm.security in src/App.java: Ask @\u2060acme/security-team"
                + " or @\u2060alice.").doesNotContainPattern("(?<![A-Za-z0-9_])@[A-Za-z0-9]");
    }

    @Test
    void onGitHubOnlyIssuesOfAnalysedOrDeletedFilesThatLostTheirFindingAreClosed() throws Exception {
        String repo = "acme/site-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/repos/" + repo;
        Finding kept = new Finding("md.tab", "README.md", 2, Severity.WARNING, "tab character", "a\tb");
        Finding fixed = new Finding("md.unclosed-fence", "docs/a.md", 7, Severity.ERROR, "close the code fence", "```");
        Finding unseen = new Finding("md.tab", "docs/c.md", 3, Severity.WARNING, "tab character", "c\td");
        Finding deleted = new Finding("md.tab", "docs/d.md", 4, Severity.WARNING, "tab character", "d\te");
        Finding gap = new Finding("md.tab", "docs/e.md", 5, Severity.WARNING, "tab character", "e\tf");
        List<Finding> all = List.of(kept, fixed, unseen, deleted, gap);
        List<String> paths = List.of("README.md", "docs/a.md", "docs/c.md", "docs/d.md", "docs/e.md");
        platform.stubFor(get(urlPathEqualTo(api + "/issues")).willReturn(okJson("[]")));
        for (int i = 0; i < paths.size(); i++) {
            int number = 61 + i;
            platform.stubFor(post(urlPathEqualTo(api + "/issues"))
                    .withRequestBody(matchingJsonPath("$.title", containing(" in " + paths.get(i) + ":")))
                    .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                            .withBody(issue(number, "https://github.com/" + repo + "/issues/" + number, "..."))));
        }
        platform.stubFor(patch(urlPathMatching(api + "/issues/\\d+")).willReturn(okJson("{\"number\": 1, \"state\": \"closed\"}")));
        platform.stubFor(post(urlPathMatching(api + "/issues/\\d+/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 9001, \"body\": \"...\"}")));

        String first = jobs.scan(target("github", repo, "scan1"), paths, List.of(), all, List.of());
        assertThat(jobs.awaitFinal(first).status()).isEqualTo(JobStatus.DONE);
        assertThat(platform.findAll(postRequestedFor(urlPathEqualTo(api + "/issues")))).hasSize(5);
        assertThat(platform.findAll(patchRequestedFor(urlPathMatching(api + "/issues/.*")))).isEmpty();

        // the five issues are open on GitHub, each with its finding's marker
        StringBuilder open = new StringBuilder("[");
        for (int i = 0; i < all.size(); i++) {
            open.append(i == 0 ? "" : ", ").append(issue(61 + i, "https://github.com/" + repo + "/issues/" + (61 + i),
                    marker(all.get(i))));
        }
        platform.stubFor(get(urlPathEqualTo(api + "/issues")).willReturn(okJson(open.append("]").toString())));

        // an incremental scan: README.md still has its finding, docs/a.md no longer, docs/c.md was not
        // analysed, docs/d.md was deleted, and the analyzer could not finish docs/e.md
        String second = jobs.scan(target("github", repo, "scan2sha"), List.of("README.md", "docs/a.md", "docs/e.md"),
                List.of("docs/d.md"), List.of(kept), List.of(new NotAnalyzed("docs/e.md", "the model's answer was cut off")));
        assertThat(jobs.awaitFinal(second).status()).isEqualTo(JobStatus.DONE);

        List<LoggedRequest> closes = platform.findAll(patchRequestedFor(urlPathMatching(api + "/issues/\\d+")));
        assertThat(closes).extracting(LoggedRequest::getUrl)
                .containsExactly(api + "/issues/62", api + "/issues/64");
        assertThat(closes).allSatisfy(r -> {
            assertThat(body(r)).isEqualTo(json.readTree("{\"state\": \"closed\"}"));
            assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + PlatformFakes.TOKEN);
        });
        List<LoggedRequest> comments = platform.findAll(postRequestedFor(urlPathMatching(api + "/issues/\\d+/comments")));
        assertThat(comments).extracting(LoggedRequest::getUrl)
                .containsExactly(api + "/issues/62/comments", api + "/issues/64/comments");
        assertThat(body(comments.get(0)).path("body").asText())
                .startsWith("drep's scan at `scan2sha` no longer finds this in `docs/a.md`, so drep closes the issue.");
        assertThat(body(comments.get(1)).path("body").asText())
                .startsWith("drep's scan at `scan2sha` no longer finds this: `docs/d.md` was deleted, so drep closes the issue.");

        // GitHub now lists only the issues still open; the same scan again changes nothing
        List<String> stillOpen = new ArrayList<>();
        for (int i : new int[] {0, 2, 4}) {
            stillOpen.add(issue(61 + i, "https://github.com/" + repo + "/issues/" + (61 + i), marker(all.get(i))));
        }
        platform.stubFor(get(urlPathEqualTo(api + "/issues")).willReturn(okJson("[" + String.join(", ", stillOpen) + "]")));
        String third = jobs.scan(target("github", repo, "scan3sha"), List.of("README.md", "docs/a.md"), List.of(),
                List.of(kept), List.of());
        assertThat(jobs.awaitFinal(third).status()).isEqualTo(JobStatus.DONE);
        assertThat(platform.findAll(patchRequestedFor(urlPathMatching(api + "/issues/\\d+")))).hasSize(2);

        // the fixed finding comes back: it gets a new issue
        String fourth = jobs.scan(target("github", repo, "scan4sha"), List.of("README.md", "docs/a.md"), List.of(),
                List.of(kept, fixed), List.of());
        assertThat(jobs.awaitFinal(fourth).outputs()).containsExactly("https://github.com/" + repo + "/issues/62");
        assertThat(platform.findAll(postRequestedFor(urlPathEqualTo(api + "/issues")))).hasSize(6);
    }

    @Test
    void onGiteaTheIssueIsClosedByPatchAndCommentedOn() throws Exception {
        String repo = "acme/wiki-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v1/repos/" + repo;
        Finding fixed = new Finding("md.unclosed-fence", "docs/a.md", 7, Severity.ERROR, "close the code fence", "```");
        platform.stubFor(get(urlPathEqualTo(api + "/issues")).willReturn(okJson("[]")));
        platform.stubFor(post(urlPathEqualTo(api + "/issues")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody(issue(7, "https://gitea.example/" + repo + "/issues/7", "..."))));
        platform.stubFor(patch(urlPathEqualTo(api + "/issues/7")).willReturn(okJson("{\"number\": 7, \"state\": \"closed\"}")));
        platform.stubFor(post(urlPathEqualTo(api + "/issues/7/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 3001, \"body\": \"...\"}")));

        String first = jobs.scan(target("gitea", repo, "scan1"), List.of("docs/a.md"), List.of(), List.of(fixed), List.of());
        assertThat(jobs.awaitFinal(first).status()).isEqualTo(JobStatus.DONE);
        platform.stubFor(get(urlPathEqualTo(api + "/issues")).willReturn(okJson("["
                + issue(7, "https://gitea.example/" + repo + "/issues/7", marker(fixed)) + "]")));

        String second = jobs.scan(target("gitea", repo, "scan2sha"), List.of("docs/a.md"), List.of(), List.of(), List.of());
        assertThat(jobs.awaitFinal(second).status()).isEqualTo(JobStatus.DONE);

        LoggedRequest close = single(patchRequestedFor(urlPathMatching(api + "/issues/.*")));
        assertThat(close.getUrl()).isEqualTo(api + "/issues/7");
        assertThat(close.getHeader("Authorization")).isEqualTo("token " + PlatformFakes.TOKEN);
        assertThat(body(close)).isEqualTo(json.readTree("{\"state\": \"closed\"}"));
        assertThat(body(single(postRequestedFor(urlPathEqualTo(api + "/issues/7/comments")))).path("body").asText())
                .startsWith("drep's scan at `scan2sha` no longer finds this in `docs/a.md`");
    }

    @Test
    void onGitLabTheIssueOfARenamedFileIsClosedWithAStateEventAndANote() throws Exception {
        String repo = "acme/handbook-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/v4/projects/" + repo.replace("/", "%2F");
        Finding fixed = new Finding("md.unclosed-fence", "docs/a.md", 7, Severity.ERROR, "close the code fence", "```");
        platform.stubFor(get(urlPathEqualTo(api + "/issues")).willReturn(okJson("[]")));
        platform.stubFor(post(urlPathEqualTo(api + "/issues")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(gitLabIssue(12, "..."))));
        platform.stubFor(put(urlPathEqualTo(api + "/issues/12")).willReturn(okJson("{\"iid\": 12, \"state\": \"closed\"}")));
        platform.stubFor(post(urlPathEqualTo(api + "/issues/12/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 4001, \"body\": \"...\"}")));

        String first = jobs.scan(target("gitlab", repo, "scan1"), List.of("docs/a.md"), List.of(), List.of(fixed), List.of());
        assertThat(jobs.awaitFinal(first).status()).isEqualTo(JobStatus.DONE);
        platform.stubFor(get(urlPathEqualTo(api + "/issues")).willReturn(okJson("[" + gitLabIssue(12, marker(fixed)) + "]")));

        // the next scan analysed the file under its new name and no longer finds the finding there
        String second = jobs.run(jobs.plan(target("gitlab", repo, "scan2sha")).analysing(List.of("docs/b.md"))
                .withRenames(Map.of("docs/b.md", "docs/a.md")), List.of());
        assertThat(jobs.awaitFinal(second).status()).isEqualTo(JobStatus.DONE);

        LoggedRequest close = single(putRequestedFor(urlPathMatching(api + "/issues/.*")));
        assertThat(close.getUrl()).isEqualTo(api + "/issues/12");
        assertThat(close.getHeader("PRIVATE-TOKEN")).isEqualTo(PlatformFakes.TOKEN);
        assertThat(body(close)).isEqualTo(json.readTree("{\"state_event\": \"close\"}"));
        assertThat(body(single(postRequestedFor(urlPathEqualTo(api + "/issues/12/notes")))).path("body").asText())
                .startsWith("drep's scan at `scan2sha` no longer finds this: `docs/a.md` was renamed to `docs/b.md`,");
    }

    private static ReviewTarget target(String platform, String repo, String head) {
        return new ReviewTarget(ReviewTarget.ISSUES, null, new PullRequestRef(platform, PlatformFakes.baseUrl(), repo,
                null, 0, null, null, head, PlatformFakes.TOKEN_REF));
    }

    private static String marker(Finding finding) {
        return "<!-- drep:finding:" + FindingFingerprints.of(List.of(finding)).get(0).fingerprint() + " -->\\n**drep**";
    }

    private static String issue(int number, String url, String body) {
        return "{\"number\": " + number + ", \"state\": \"open\", \"html_url\": \"" + url + "\", \"body\": \"" + body + "\"}";
    }

    private static String gitLabIssue(int iid, String description) {
        return "{\"id\": " + (9000 + iid) + ", \"iid\": " + iid + ", \"state\": \"opened\", \"web_url\": \""
                + PlatformFakes.baseUrl() + "/acme/handbook/-/issues/" + iid + "\", \"description\": \"" + description + "\"}";
    }
}
