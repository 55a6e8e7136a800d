package dev.drep.scanner.job;

import dev.drep.contracts.JobProfile;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.JobView;
import dev.drep.contracts.Severity;
import dev.drep.contracts.StageSpan;
import dev.drep.contracts.UnitUsage;
import dev.drep.core.profile.JobProfiles;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A review job, owned by the scanner from request to final status. */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {
    @Id
    public UUID id;
    @Enumerated(EnumType.STRING)
    public JobStatus status;
    public String repository;
    @Column(name = "base_rev")
    public String baseRevision;
    @Column(name = "head_rev")
    public String headRevision;
    @Column(name = "base_commit")
    public String baseCommit;
    @Column(name = "head_commit")
    public String headCommit;
    @Column(name = "output_dir")
    public String outputDir;
    @Column(name = "units_total")
    public int unitsTotal;
    @Column(name = "units_done")
    public int unitsDone;
    @Column(name = "errors")
    public int errorCount;
    @Column(name = "warnings")
    public int warningCount;
    @Column(name = "infos")
    public int infoCount;
    /** newline-separated */
    public String outputs;
    public String message;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Enumerated(EnumType.STRING)
    public JobKind kind = JobKind.LOCAL;
    /** the registered repository of a pull request review or scan */
    @Column(name = "repository_id")
    public UUID repositoryId;
    /** pull (merge) request number (GitLab: iid) */
    @Column(name = "pr_number")
    public Integer pullRequestNumber;
    /** the branch a pull request targets, or the default branch a scan reads */
    @Column(name = "base_ref")
    public String baseRef;
    /** GitLab's start_sha: the target branch tip the merge request is compared with */
    @Column(name = "start_commit")
    public String startCommit;
    /** the head of the previous review the incremental selection started from; null when all was analysed */
    @Column(name = "previous_head")
    public String previousHead;
    /** pull request reviews: the author's platform login (their own file reservations never conflict), or null */
    public String author;
    /** a scan of every file rather than of those changed since the last scan; a pull request review of every changed
     * file, nothing carried over from the previous review ({@code /drep review}) */
    @Column(name = "full_scan")
    public boolean fullScan;
    /** the units ask the analyzers to ignore their caches ({@code /drep review}) */
    @Column(name = "fresh_analysis")
    public boolean freshAnalysis;
    /** the walkthrough goes into the pull request's description whatever {@code .drep.yaml} says ({@code /drep describe}) */
    @Column(name = "describe_body")
    public boolean describeBody;
    /** LLM use of the job, reported by the publisher with the final status */
    @Column(name = "llm_calls")
    public int llmCalls;
    @Column(name = "llm_cache_hits")
    public int llmCacheHits;
    @Column(name = "prompt_tokens")
    public long promptTokens;
    @Column(name = "completion_tokens")
    public long completionTokens;
    @Column(name = "llm_cost")
    public BigDecimal llmCost = BigDecimal.ZERO;
    /** when the broker confirmed the job's planning request; null while it is an unsent outbox entry */
    @Column(name = "planning_sent_at")
    public Instant planningSentAt;
    /** failed by the scanner without the publisher (deadline, dead letter, planning): the publisher must report it */
    @Column(name = "report_failure")
    public boolean reportFailure;
    /** when the review-publisher was told of the deadline failure */
    @Column(name = "failure_reported_at")
    public Instant failureReportedAt;

    /** @return the API view of this job, without its profile (lists) */
    public JobView view() {
        return view(null);
    }

    /** @return the job's LLM use */
    public UnitUsage usage() {
        return new UnitUsage(llmCalls, llmCacheHits, promptTokens, completionTokens,
                llmCost == null ? 0 : llmCost.doubleValue());
    }

    /** Records the job's LLM use. */
    public void usage(UnitUsage usage) {
        llmCalls = usage.llmCalls();
        llmCacheHits = usage.cacheHits();
        promptTokens = usage.promptTokens();
        completionTokens = usage.completionTokens();
        llmCost = BigDecimal.valueOf(usage.cost());
    }

    /**
     * @param spans the job's stage spans, or null for a view without a profile
     * @return the API view of this job
     */
    public JobView view(List<StageSpan> spans) {
        JobProfile profile = spans == null ? null
                : JobProfiles.profile(createdAt, finishedAt != null ? finishedAt : Instant.now(), spans, usage());
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        counts.put(Severity.ERROR, errorCount);
        counts.put(Severity.WARNING, warningCount);
        counts.put(Severity.INFO, infoCount);
        List<String> outputList = outputs == null || outputs.isEmpty() ? List.of() : Arrays.asList(outputs.split("\n"));
        return new JobView(id.toString(), status, repository, baseCommit, headCommit, unitsTotal, unitsDone, counts,
                outputList, message, createdAt, finishedAt, profile);
    }

    /**
     * @param repositoryId registered repository
     * @param fullName     its name, shown as the job's repository
     * @param baseSha      the tip of the target branch the platform reported, or null (GitLab webhooks)
     * @param author       the pull request's author (platform login), or null when the event does not name one
     * @return a queued review of a pull request's {@code headSha}
     */
    public static Job pullRequest(UUID repositoryId, String fullName, int number, String baseRef, String baseSha,
            String headSha, String author) {
        Job job = queued(JobKind.PULL_REQUEST, repositoryId, fullName);
        job.author = author;
        job.pullRequestNumber = number;
        job.baseRef = baseRef;
        job.baseRevision = baseSha;
        job.headRevision = headSha;
        job.headCommit = headSha;
        return job;
    }

    /**
     * @param headSha the commit to scan up to, or null for the branch tip when the job is planned
     * @return a queued scan of {@code branch}
     */
    public static Job scan(UUID repositoryId, String fullName, String branch, String headSha) {
        Job job = queued(JobKind.SCAN, repositoryId, fullName);
        job.baseRef = branch;
        job.headRevision = headSha;
        job.headCommit = headSha;
        return job;
    }

    private static Job queued(JobKind kind, UUID repositoryId, String fullName) {
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.kind = kind;
        job.repositoryId = repositoryId;
        job.repository = fullName;
        job.status = JobStatus.QUEUED;
        job.createdAt = Instant.now();
        return job;
    }

    /** Marks the job final with a status and a message. */
    public void finish(JobStatus finalStatus, String finalMessage) {
        status = finalStatus;
        message = finalMessage;
        finishedAt = Instant.now();
    }
}
