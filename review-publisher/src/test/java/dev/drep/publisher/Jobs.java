package dev.drep.publisher;

import dev.drep.testsupport.identity.TestTokens;
import static dev.drep.testsupport.identity.TestTokens.as;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.Finding;
import dev.drep.contracts.JobEvent;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.UnitResult;
import dev.drep.publisher.job.TestChannels;
import dev.drep.publisher.job.TrackedJob;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Drives jobs through the publisher as the scanner and an analyzer would. */
@ApplicationScoped
public class Jobs {
    private final TestChannels channels;
    private final ObjectMapper json;

    public Jobs(TestChannels channels, ObjectMapper json) {
        this.channels = channels;
        this.json = json;
    }

    /**
     * Registers a one-unit job and sends the unit's result.
     *
     * @return the job id
     */
    public String run(ReviewTarget target, PublishSettings settings, List<Finding> findings,
            List<Finding> summaryFindings, List<NotAnalyzed> analyzerGaps) throws Exception {
        String jobId = UUID.randomUUID().toString();
        String unit = "u-" + jobId;
        String head = target.pullRequest() != null ? target.pullRequest().headSha() : "bbbb";
        JobPlan plan = new JobPlan(jobId, "acme/docs", "aaaa", head, List.of(unit), List.of(), List.of(), target,
                settings, List.of(), List.of());
        register(plan);
        channels.send(new UnitResult(unit, jobId, "markdown", findings, analyzerGaps, 3, summaryFindings, null, null));
        return jobId;
    }

    /**
     * Registers a one-unit job and sends the result of an LLM analyzer that dropped {@code dropped} of the model's
     * findings (by reason) before sending it.
     *
     * @return the job id
     */
    public String runWithDropped(ReviewTarget target, List<Finding> findings, Map<String, Integer> dropped)
            throws Exception {
        String jobId = UUID.randomUUID().toString();
        String unit = "u-" + jobId;
        JobPlan plan = new JobPlan(jobId, "acme/docs", "aaaa", target.pullRequest().headSha(), List.of(unit), List.of(),
                List.of(), target, null, List.of(), List.of());
        register(plan);
        channels.send(new UnitResult(unit, jobId, "llm-review", findings, List.of(), 3, List.of(), null, null, dropped));
        return jobId;
    }

    /**
     * Registers a one-unit incremental job: only the files changed since {@code previousHead} were analysed,
     * {@code carriedOver} keep the previous review's findings. Sends the unit's result.
     *
     * @return the job id
     */
    public String runIncremental(ReviewTarget target, String previousHead, List<String> carriedOver,
            List<Finding> findings) throws Exception {
        String jobId = UUID.randomUUID().toString();
        String unit = "u-" + jobId;
        JobPlan plan = new JobPlan(jobId, "acme/docs", "aaaa", target.pullRequest().headSha(), List.of(unit), List.of(),
                List.of(), target, null, List.of(), List.of(), previousHead, carriedOver);
        register(plan);
        channels.send(new UnitResult(unit, jobId, "markdown", findings, List.of(), 3, List.of(), null, null));
        return jobId;
    }

    /**
     * Registers a one-unit repository scan whose unit analysed {@code analysed} and saw {@code deleted}
     * deleted, and sends the unit's result with {@code findings} and the analyzer's {@code gaps}.
     *
     * @return the job id
     */
    public String scan(ReviewTarget target, List<String> analysed, List<String> deleted, List<Finding> findings,
            List<NotAnalyzed> gaps) throws Exception {
        String jobId = UUID.randomUUID().toString();
        String unit = "u-" + jobId;
        JobPlan plan = new JobPlan(jobId, "acme/docs", "aaaa", target.pullRequest().headSha(), List.of(unit), List.of(),
                deleted, target, PublishSettings.DEFAULTS, List.of(), List.of()).analysing(analysed);
        register(plan);
        channels.send(new UnitResult(unit, jobId, "markdown", findings, gaps, 3, List.of(), null, null));
        return jobId;
    }

    /** @return a one-unit plan of a new job for {@code target} with default settings (run it with {@link #run(JobPlan, List)}) */
    public JobPlan plan(ReviewTarget target) {
        String jobId = UUID.randomUUID().toString();
        return new JobPlan(jobId, "acme/docs", "aaaa", target.pullRequest().headSha(), List.of("u-" + jobId), List.of(),
                List.of(), target, null, List.of(), List.of());
    }

    /**
     * Registers a one-unit plan and sends the unit's result with {@code findings}.
     *
     * @return the job id
     */
    /** Runs a job whose one unit carries {@code lowConfidence}: findings the verifier did not confirm. */
    public String runWithLowConfidence(ReviewTarget target, List<Finding> findings, List<Finding> lowConfidence)
            throws Exception {
        String jobId = UUID.randomUUID().toString();
        String unit = "u-" + jobId;
        String head = target.pullRequest() != null ? target.pullRequest().headSha() : "bbbb";
        register(new JobPlan(jobId, "acme/docs", "aaaa", head, List.of(unit), List.of(), List.of(), target, null,
                List.of(), List.of()));
        channels.send(new UnitResult(unit, jobId, "llm-review", findings, List.of(), 3, List.of(), null, null, null,
                lowConfidence));
        return jobId;
    }

    public String run(JobPlan plan, List<Finding> findings) throws Exception {
        register(plan);
        channels.send(new UnitResult(plan.unitIds().get(0), plan.jobId(), "markdown", findings, List.of(), 3, List.of(),
                null, null));
        return plan.jobId();
    }

    /** Registers a plan; asserts the 204. */
    public void register(JobPlan plan) {
        as(TestTokens.SCANNER_SERVICE).contentType(ContentType.JSON).body(plan).when().put("/internal/jobs/" + plan.jobId())
                .then().statusCode(204);
    }

    /** @return the job's final event, waiting up to 30 s */
    public JobEvent awaitFinal(String jobId) throws InterruptedException {
        await(() -> TestChannels.EVENTS.stream().anyMatch(e -> e.jobId().equals(jobId) && e.status().isFinal()));
        return TestChannels.EVENTS.stream().filter(e -> e.jobId().equals(jobId) && e.status().isFinal()).findFirst()
                .orElseThrow();
    }

    /** @return the count of final events sent for the job */
    public long finalEvents(String jobId) {
        return TestChannels.EVENTS.stream().filter(e -> e.jobId().equals(jobId) && e.status().isFinal()).count();
    }

    /** @return the job's row as stored now */
    public TrackedJob stored(String jobId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> TrackedJob.findById(jobId)));
    }

    /** Stores a job as if its review had been composed and stored just before the publisher stopped. */
    public void storePublishing(TrackedJob job) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(job::persist));
    }

    /** @return {@code value} as JSON */
    public String write(Object value) throws Exception {
        return json.writeValueAsString(value);
    }

    /** Waits up to 30 s for {@code condition}. */
    public static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
