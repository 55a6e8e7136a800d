package dev.drep.publisher.issues;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Repository scans open GitHub issues, de-duplicated by fingerprint and by the markers in open issues. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class RepositoryScanIssuesTest {
    @Inject
    Jobs jobs;
    @Inject
    ObjectMapper json;

    private final WireMockServer github = PlatformFakes.server();

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
        github.stubFor(get(urlPathEqualTo(api + "/issues")).willReturn(okJson("[{\"number\": 41, \"state\": \"open\","
                + " \"title\": \"drep: md.unclosed-fence\", \"html_url\": \"https://github.com/" + repo + "/issues/41\","
                + " \"body\": \"<!-- drep:finding:" + fenceFingerprint + " -->\\n**error**\"}, {\"number\": 42,"
                + " \"state\": \"open\", \"pull_request\": {\"url\": \"https://api.github.com/repos/" + repo
                + "/pulls/42\"}, \"body\": \"<!-- drep:finding:" + fenceFingerprint + " -->\"}]")));
        github.stubFor(post(urlPathEqualTo(api + "/issues")).willReturn(aResponse().withStatus(201)
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

        List<LoggedRequest> opened = github.findAll(postRequestedFor(urlPathEqualTo(api + "/issues")));
        assertThat(opened).hasSize(2);
        assertThat(opened).allMatch(r -> ("Bearer " + PlatformFakes.TOKEN).equals(r.getHeader("Authorization")));
        JsonNode firstIssue = body(opened.get(0));
        assertThat(firstIssue.path("title").asText()).isEqualTo("drep: md.tab in README.md: tab character");
        assertThat(firstIssue.path("body").asText()).startsWith("<!-- drep:finding:").contains("`README.md:2`");
        assertThat(body(opened.get(1)).path("title").asText()).startsWith("drep: llm.clarity in docs/b.md");
        // a scan sets no commit status
        assertThat(github.findAll(postRequestedFor(urlPathMatching(api + "/(check-runs|statuses/.*)")))).isEmpty();

        String second = jobs.run(target, settings, List.of(tab, fence), List.of(outside), List.of());
        assertThat(jobs.awaitFinal(second).status()).isEqualTo(JobStatus.DONE);
        assertThat(github.findAll(postRequestedFor(urlPathEqualTo(api + "/issues")))).hasSize(2);
        // everything is recorded: the second scan does not even list the open issues
        assertThat(github.findAll(getRequestedFor(urlPathEqualTo(api + "/issues")))).hasSize(1);
    }

    private JsonNode body(LoggedRequest request) {
        try {
            return json.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
