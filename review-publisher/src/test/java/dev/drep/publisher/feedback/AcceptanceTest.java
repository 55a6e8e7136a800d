package dev.drep.publisher.feedback;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drep.contracts.CommandReply.CommentPlace;
import dev.drep.contracts.Finding;
import dev.drep.contracts.FindingAcceptance;
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
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The acceptance rate per rule and model (issue 17, item 4): on WireMock's GitHub, a pull request gets three inline
 * findings — two from one model, one from a deterministic analyzer — then its author justifies one, and a later push
 * changes the lines of another, which is no longer found (its thread is resolved). {@code GET /internal/acceptance}
 * counts one accepted, one rejected and one still open, each under its rule and model, and the outcome metric carries
 * the model.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class AcceptanceTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @Inject
    Jobs jobs;

    @Inject
    MeterRegistry registry;

    private final WireMockServer fake = PlatformFakes.server();

    @Test
    void aFixedFindingCountsAcceptedAJustifiedOneRejectedAndEachUnderItsRuleAndModel() throws Exception {
        String model = "large-" + UUID.randomUUID().toString().substring(0, 8);
        String repo = "acme/rates-" + UUID.randomUUID().toString().substring(0, 8);
        Finding fixed = new Finding("llm.bug", "README.md", 3, 3, Severity.WARNING, "off by one", null, null, null,
                model);
        Finding kept = new Finding("llm.naming", "docs/kept.md", 10, 10, Severity.WARNING, "unclear name", null, null,
                null, model);
        Finding justified = new Finding("md.tab", "docs/other.md", 4, Severity.WARNING, "tab character", null);
        List<Finding> first = List.of(fixed, kept, justified);
        GitHubFake.stubPullRequests(repo);
        GitHubFake.stubNoReviewThreads(repo);

        String posting = jobs.run(push(repo, 1), null, first, List.of(), List.of());
        assertThat(jobs.awaitFinal(posting).status()).isEqualTo(JobStatus.DONE);
        justify(repo, fingerprint(first, justified), justified.rule());
        String later = jobs.run(jobs.plan(push(repo, 2)).analysing(List.of("README.md", "docs/kept.md"))
                .incrementalSince("head1", List.of())
                .withChangesSincePrevious(Map.of("README.md", List.of(new LineEdit(3, 1, 3, 1)))), List.of(kept));
        assertThat(jobs.awaitFinal(later).status()).isEqualTo(JobStatus.DONE);

        FindingAcceptance acceptance = TestTokens.as(TestTokens.SCANNER_SERVICE)
                .queryParams(Map.of("platform", "github", "apiUrl", PlatformFakes.baseUrl(), "repository", repo))
                .get("/internal/acceptance").then().statusCode(200).extract().as(FindingAcceptance.class);
        assertThat(acceptance.rows()).containsExactly(
                new FindingAcceptance.Row("llm.bug", model, 1, 1, 0, 1.0),
                new FindingAcceptance.Row("llm.naming", model, 1, 0, 0, null),
                new FindingAcceptance.Row("md.tab", "none", 1, 0, 1, 0.0));

        FindingAcceptance everywhere = TestTokens.as(TestTokens.SCANNER_SERVICE).get("/internal/acceptance").then()
                .statusCode(200).extract().as(FindingAcceptance.class);
        assertThat(everywhere.rows()).filteredOn(row -> row.model().equals(model)).containsExactly(
                new FindingAcceptance.Row("llm.bug", model, 1, 1, 0, 1.0),
                new FindingAcceptance.Row("llm.naming", model, 1, 0, 0, null));
        var accepted = registry.find("drep.publisher.finding.outcomes").tag("rule", "llm.bug").tag("model", model)
                .tag("outcome", "accepted").counter();
        assertThat(accepted).isNotNull();
        assertThat(accepted.count()).isEqualTo(1.0);
        assertThat(registry.find("drep.publisher.finding.outcomes").tag("rule", "md.tab").tag("model", "none")
                .tag("outcome", "rejected").counter()).isNotNull();
    }

    @Test
    void aRepositoryWithoutFindingsHasNoRowsAndOneNamedInPartIsRefused() {
        FindingAcceptance none = TestTokens.as(TestTokens.SCANNER_SERVICE)
                .queryParams(Map.of("platform", "github", "apiUrl", PlatformFakes.baseUrl(), "repository",
                        "acme/quiet-" + UUID.randomUUID().toString().substring(0, 8)))
                .get("/internal/acceptance").then().statusCode(200).extract().as(FindingAcceptance.class);
        assertThat(none.rows()).isEmpty();
        TestTokens.as(TestTokens.SCANNER_SERVICE).queryParam("repository", "acme/docs").get("/internal/acceptance")
                .then().statusCode(400).body("message", org.hamcrest.Matchers.containsString("give all three"));
    }

    private void justify(String repo, String fingerprint, String rule) throws Exception {
        String api = "/repos/" + repo;
        fake.stubFor(get(urlPathEqualTo(api + "/pulls/comments/5001")).willReturn(okJson(JSON.writeValueAsString(
                Map.of("id", 5001, "body", Markers.finding(fingerprint) + "\n**warning** `" + rule + "`: tab\n")))));
        PullRequestRef ref = push(repo, 1).pullRequest();
        TestTokens.as(TestTokens.SCANNER_SERVICE).contentType(ContentType.JSON)
                .body(JSON.writeValueAsString(new JustifiedReply("review_comment:6001", ref,
                        new CommentPlace(CommentPlace.REVIEW_COMMENT, "5001", null), "octocat",
                        "Intentional: the makefile needs tabs")))
                .put("/internal/justifications/review_comment:6001").then().statusCode(200);
    }

    private static ReviewTarget push(String repo, int n) {
        return ReviewTarget.pullRequest(new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null, 7, "base0",
                null, "head" + n, PlatformFakes.TOKEN_REF));
    }

    private static String fingerprint(List<Finding> all, Finding finding) {
        return FindingFingerprints.of(all).stream().filter(f -> f.finding().equals(finding)).findFirst().orElseThrow()
                .fingerprint();
    }
}
