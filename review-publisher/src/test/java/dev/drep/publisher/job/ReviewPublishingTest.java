package dev.drep.publisher.job;

import dev.drep.testsupport.identity.TestTokens;
import static dev.drep.testsupport.identity.TestTokens.as;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Review;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.contracts.UnitResult;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.infra.SharedInfrastructure;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
class ReviewPublishingTest {

    @Inject
    TestChannels channels;
    @Inject
    ObjectMapper json;
    @Inject
    PublicationRetry retry;

    @Test
    void onlyTheScannersTokenReachesTheInternalApi() {
        String path = "/internal/jobs/" + UUID.randomUUID() + "/review";
        TestTokens.anonymous().get(path).then().statusCode(401).body("error", org.hamcrest.Matchers.equalTo("unauthenticated"));
        // another service's token is not a credential here: a compromised analyzer cannot post as the scanner
        as(TestTokens.ANALYZER_SERVICE).get(path).then().statusCode(401)
                .body("message", org.hamcrest.Matchers.containsString("not known to this service"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(TestTokens.ANALYZER_SERVICE)));
        as(TestTokens.SCANNER_SERVICE).get(path).then().statusCode(404);
    }

    @Test
    void everyResultInComposesTheReviewOnceAndWritesTheThreeFiles() throws Exception {
        Path out = Files.createTempDirectory("publisher-out").resolve("review");
        String jobId = UUID.randomUUID().toString();
        JobPlan plan = new JobPlan(jobId, "repo", "aaaa", "bbbb", List.of("u1-" + jobId, "u2-" + jobId),
                List.of(new NotAnalyzed("logo.png", "binary file")), List.of("gone.md"), ReviewTarget.local(out.toString()));
        register(plan).then().statusCode(204);
        register(plan).then().statusCode(204);

        UnitResult first = new UnitResult("u1-" + jobId, jobId, "markdown",
                List.of(new Finding("md.heading-space", "README.md", 3, Severity.INFO, "add a space", "# Title")),
                List.of(), 5);
        UnitResult second = new UnitResult("u2-" + jobId, jobId, "markdown",
                List.of(new Finding("md.unclosed-fence", "docs/a.md", 7, Severity.WARNING, "close the fence", null)),
                List.of(new NotAnalyzed("docs/b.md", "analyzer markdown failed: boom")), 5);
        channels.send(first);
        channels.send(first);
        // the progress of one unit in two is reported only if the second result is not in yet when the first is
        // checked (results are handled several at a time): the second waits for it
        await(() -> TestChannels.EVENTS.stream().anyMatch(e -> e.jobId().equals(jobId)
                && e.status() == JobStatus.ANALYZING && e.unitsDone() == 1));
        channels.send(second);

        JobEvent done = awaitFinal(jobId);
        assertThat(done.status()).isEqualTo(JobStatus.DONE);
        assertThat(done.findings()).containsEntry(Severity.WARNING, 1).containsEntry(Severity.INFO, 1);
        assertThat(done.outputs()).containsExactly(out.resolve("review.md").toString(),
                out.resolve("review.json").toString(), out.resolve("review.sarif").toString());
        Review review = json.readValue(out.resolve("review.json").toFile(), Review.class);
        assertThat(review.findings()).extracting(Finding::path, Finding::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("README.md", 3),
                        org.assertj.core.groups.Tuple.tuple("docs/a.md", 7));
        assertThat(review.notAnalyzed()).extracting(NotAnalyzed::path).containsExactlyInAnyOrder("logo.png", "docs/b.md");
        assertThat(Files.readString(out.resolve("review.md"))).contains("logo.png").contains("binary file");
        assertThat(Files.readString(out.resolve("review.sarif"))).contains("\"2.1.0\"");
        // the scanner reads the composed review for GET /api/jobs/{id}/findings
        as(TestTokens.SCANNER_SERVICE).get("/internal/jobs/" + jobId + "/review").then().statusCode(200)
                .body("findings.size()", org.hamcrest.Matchers.equalTo(2))
                .body("findings[1].rule", org.hamcrest.Matchers.equalTo("md.unclosed-fence"));
        as(TestTokens.SCANNER_SERVICE).get("/internal/jobs/" + UUID.randomUUID() + "/review").then().statusCode(404)
                .body("message", org.hamcrest.Matchers.containsString("unknown job"));
        Thread.sleep(300);
        assertThat(TestChannels.EVENTS.stream().filter(e -> e.jobId().equals(jobId) && e.status().isFinal())).hasSize(1);
    }

    @Test
    void aLocalReviewShowsTheLinesASuggestionReplaces() throws Exception {
        Path out = Files.createTempDirectory("publisher-range");
        String jobId = UUID.randomUUID().toString();
        register(new JobPlan(jobId, "repo", "aaaa", "bbbb", List.of("u-" + jobId), List.of(), List.of(),
                ReviewTarget.local(out.toString()))).then().statusCode(204);
        Finding range = new Finding("doc.poor", "src/Calc.java", 5, Severity.INFO,
                "The documentation of the public method `add` is a placeholder (TODO).",
                "    /**\n     * Adds two numbers.\n     */").withEndLine(7);
        channels.send(new UnitResult("u-" + jobId, jobId, "doc-comments", List.of(range), List.of(), 5));

        assertThat(awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);
        assertThat(json.readValue(out.resolve("review.json").toFile(), Review.class).findings()).containsExactly(range);
        assertThat(Files.readString(out.resolve("review.json"))).contains("\"endLine\" : 7");
        assertThat(Files.readString(out.resolve("review.md")))
                .contains("- **info** `src/Calc.java:5-7` `doc.poor`: The documentation of the public method `add`")
                .contains("  ```suggestion\n      /**\n       * Adds two numbers.\n       */\n  ```\n");
        JsonNode region = json.readTree(out.resolve("review.sarif").toFile())
                .at("/runs/0/results/0/fixes/0/artifactChanges/0/replacements/0/deletedRegion");
        assertThat(region.path("startLine").asInt()).isEqualTo(5);
        assertThat(region.path("endLine").asInt()).isEqualTo(7);
    }

    @Test
    void aJobWithNoUnitsIsPublishedWhenRegistered() throws Exception {
        Path out = Files.createTempDirectory("publisher-empty");
        String jobId = UUID.randomUUID().toString();
        register(new JobPlan(jobId, "repo", "aaaa", "bbbb", List.of(), List.of(new NotAnalyzed("a.bin", "binary file")),
                List.of(), ReviewTarget.local(out.toString()))).then().statusCode(204);

        assertThat(awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);
        assertThat(json.readValue(out.resolve("review.json").toFile(), Review.class).notAnalyzed())
                .containsExactly(new NotAnalyzed("a.bin", "binary file"));
    }

    @Test
    void resultsForUnknownJobsAreAcknowledgedAndDropped() throws Exception {
        String unknownJob = UUID.randomUUID().toString();
        channels.send(new UnitResult("u-" + unknownJob, unknownJob, "markdown", List.of(), List.of(), 1));
        channels.send("{broken");

        await(() -> SharedInfrastructure.broker().messageCount("drep.analysis.results") == 0);
        Thread.sleep(300);
        assertThat(SharedInfrastructure.broker().messageCount("DLQ.drep.analysis.results")).isZero();
        assertThat(TestChannels.EVENTS).noneMatch(e -> e.jobId().equals(unknownJob));
    }

    @Test
    void aReviewThatCannotBeWrittenFailsTheJobWithTheReason() throws Exception {
        Path blocker = Files.createTempFile("publisher", ".file");
        String jobId = UUID.randomUUID().toString();
        register(new JobPlan(jobId, "repo", "aaaa", "bbbb", List.of(), List.of(), List.of(),
                ReviewTarget.local(blocker.resolve("sub").toString()))).then().statusCode(204);

        JobEvent event = awaitFinal(jobId);
        assertThat(event.status()).isEqualTo(JobStatus.FAILED);
        assertThat(event.message()).contains("could not publish the review").contains(blocker.toString());
    }

    @Test
    void aReviewForAFolderOutsideTheOutputRootsIsNotWritten() throws Exception {
        // the user's home is outside the %test output roots (the temporary folders); the build folder may not be (a
        // checkout under /tmp)
        Path outside = Path.of(System.getProperty("user.home"), ".drep-outside-output-roots-" + UUID.randomUUID()).toAbsolutePath();
        String jobId = UUID.randomUUID().toString();
        register(new JobPlan(jobId, "repo", "aaaa", "bbbb", List.of(), List.of(), List.of(),
                ReviewTarget.local(outside.toString()))).then().statusCode(204);

        JobEvent event = awaitFinal(jobId);
        assertThat(event.status()).isEqualTo(JobStatus.FAILED);
        assertThat(event.message()).contains("drep.publisher.local-reviews.output-roots");
        assertThat(outside).doesNotExist();
    }

    @Test
    void aReviewStoredBeforeAStopIsPostedOnStartExactlyOnce() throws Throwable {
        Path out = Files.createTempDirectory("publisher-resume");
        String jobId = UUID.randomUUID().toString();
        JobPlan plan = new JobPlan(jobId, "repo", "aaaa", "bbbb", List.of(), List.of(), List.of(),
                ReviewTarget.local(out.toString()));
        Review stored = new Review(jobId, "repo", "aaaa", "bbbb", "stored summary", Map.of(Severity.INFO, 0),
                List.of(), List.of(), List.of());
        TrackedJob job = new TrackedJob();
        job.jobId = jobId;
        job.plan = json.writeValueAsString(plan);
        job.unitsTotal = 0;
        job.stage = TrackedJob.Stage.PUBLISHING;
        job.review = json.writeValueAsString(stored);
        job.createdAt = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(job::persist));

        // two replicas (or a restart racing a replica) resuming at once still post once
        CompletableFuture<Void> one = CompletableFuture.runAsync(() -> resume());
        CompletableFuture<Void> two = CompletableFuture.runAsync(() -> resume());
        CompletableFuture.allOf(one, two).get();

        assertThat(awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);
        assertThat(json.readValue(out.resolve("review.json").toFile(), Review.class).summary()).isEqualTo("stored summary");
        Thread.sleep(500);
        assertThat(TestChannels.EVENTS.stream().filter(e -> e.jobId().equals(jobId) && e.status().isFinal())).hasSize(1);
    }

    @Test
    void aReviewClaimedByAReplicaThatDiedIsPostedByAnotherOnceTheClaimExpires() throws Throwable {
        Path out = Files.createTempDirectory("publisher-takeover");
        String jobId = UUID.randomUUID().toString();
        JobPlan plan = new JobPlan(jobId, "repo", "aaaa", "bbbb", List.of(), List.of(), List.of(),
                ReviewTarget.local(out.toString()));
        TrackedJob job = new TrackedJob();
        job.jobId = jobId;
        job.plan = json.writeValueAsString(plan);
        job.unitsTotal = 0;
        job.stage = TrackedJob.Stage.PUBLISHING;
        job.review = json.writeValueAsString(new Review(jobId, "repo", "aaaa", "bbbb", "taken over",
                Map.of(Severity.INFO, 0), List.of(), List.of(), List.of()));
        job.createdAt = Instant.now();
        // a replica claimed the review and died; its lease has 3 s left
        job.claimedBy = "publisher-0/dead";
        Instant expires = Instant.now().plusSeconds(3);
        job.claimExpiresAt = expires;
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(job::persist));

        resume();
        Thread.sleep(1000);
        assertThat(TestChannels.EVENTS.stream().filter(e -> e.jobId().equals(jobId))).as("not posted while claimed")
                .isEmpty();
        assertThat(Files.exists(out.resolve("review.json"))).isFalse();

        // the scheduled retry takes it over once the claim has expired
        assertThat(awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);
        assertThat(Instant.now()).isAfter(expires);
        assertThat(json.readValue(out.resolve("review.json").toFile(), Review.class).summary()).isEqualTo("taken over");
        // the claim goes on as the claim on the final event, and is given up once that event is recorded as sent
        await(() -> {
            try {
                return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                        () -> TrackedJob.<TrackedJob>findById(jobId))).claimedBy == null;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void resume() {
        try {
            VertxContextSupport.subscribeAndAwait(() -> retry.resumeStoredReviews());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private io.restassured.response.Response register(JobPlan plan) {
        return as(TestTokens.SCANNER_SERVICE).contentType(ContentType.JSON).body(plan).when().put("/internal/jobs/" + plan.jobId());
    }

    private static JobEvent awaitFinal(String jobId) throws InterruptedException {
        await(() -> TestChannels.EVENTS.stream().anyMatch(e -> e.jobId().equals(jobId) && e.status().isFinal()));
        return TestChannels.EVENTS.stream().filter(e -> e.jobId().equals(jobId) && e.status().isFinal()).findFirst()
                .orElseThrow();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(50);
        }
    }
}
