package dev.drep.publisher.job;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.GitHubFake;
import dev.drep.publisher.Jobs;
import dev.drep.publisher.PlatformFakes;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.logging.CapturedLog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A post outlives the result message that started it: the message's span ends once the result is stored, and the
 * post may wait on its platform for minutes. It still belongs to the job's trace, in its platform calls and in its
 * log lines (once, in CI, the "review published" line had lost its trace id).
 */
@QuarkusTest
@TestProfile(PostTraceTest.EveryTraceSampled.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class PostTraceTest {
    /** Every trace recorded, as in a deployment that samples all of them. */
    public static class EveryTraceSampled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "1");
        }
    }

    @Inject
    Jobs jobs;

    private final WireMockServer github = PlatformFakes.server();

    @Test
    void aPostThatOutlivesItsMessageKeepsTheJobsTraceInItsPlatformCallsAndItsLogLines() throws Exception {
        String repo = "acme/traced-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/repos/" + repo;
        GitHubFake.stubPullRequests(repo);
        // the review is answered slowly: by then the result's message is settled and its span has ended
        github.stubFor(post(urlPathEqualTo(api + "/pulls/4/reviews")).atPriority(1).willReturn(okJson(
                "{\"id\": 80, \"state\": \"COMMENTED\"}").withFixedDelay(1500)));
        ReviewTarget target = ReviewTarget.pullRequest(new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null,
                4, "base0", null, "head4", PlatformFakes.TOKEN_REF));

        try (CapturedLog log = CapturedLog.attach()) {
            String jobId = jobs.run(target, null,
                    List.of(new Finding("md.tab", "README.md", 2, Severity.WARNING, "tab character", null)), List.of(),
                    List.of());
            assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

            LoggedRequest review = PlatformFakes.single(postRequestedFor(urlPathEqualTo(api + "/pulls/4/reviews")));
            String trace = traceOf(review);
            List<LoggedRequest> afterTheSlowAnswer = new ArrayList<>();
            afterTheSlowAnswer.add(PlatformFakes.single(postRequestedFor(urlPathEqualTo(api + "/issues/4/comments"))));
            afterTheSlowAnswer.add(PlatformFakes.single(patchRequestedFor(urlPathMatching(api + "/check-runs/\\d+"))));
            assertThat(afterTheSlowAnswer).as("the post's later platform calls continue the trace of its first ones")
                    .allSatisfy(request -> assertThat(traceOf(request)).isEqualTo(trace));

            List<CapturedLog.Entry> published = log.entries().stream()
                    .filter(e -> e.message().startsWith("job " + jobId + ": review published")).toList();
            assertThat(published).hasSize(1);
            assertThat(published.get(0).mdc()).as("the log context of the line saying the review is published")
                    .containsEntry("jobId", jobId).containsEntry("traceId", trace);
        }
    }

    @Test
    void everyLocalReviewSaysItIsPublishedWithinTheJobsTrace(@TempDir Path out) throws Exception {
        List<String> jobIds = new ArrayList<>();
        try (CapturedLog log = CapturedLog.attach()) {
            for (int i = 0; i < 20; i++) {
                jobIds.add(jobs.run(ReviewTarget.local(out.resolve("r" + i).toString()), null,
                        List.of(new Finding("md.tab", "README.md", 2, Severity.WARNING, "tab character", null)),
                        List.of(), List.of()));
            }
            for (String jobId : jobIds) {
                assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);
            }
            assertThat(jobIds).allSatisfy(jobId -> {
                List<CapturedLog.Entry> published = log.entries().stream()
                        .filter(e -> e.message().startsWith("job " + jobId + ": review published")).toList();
                assertThat(published).hasSize(1);
                assertThat(published.get(0).mdc()).as("the log context of the line saying the review is published")
                        .containsEntry("jobId", jobId).hasEntrySatisfying("traceId",
                                trace -> assertThat(trace).matches("[0-9a-f]{32}"));
            });
        }
    }

    private static String traceOf(LoggedRequest request) {
        String traceparent = request.getHeader("traceparent");
        assertThat(traceparent).as("traceparent of %s %s", request.getMethod(), request.getUrl())
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        return traceparent.split("-")[1];
    }
}
