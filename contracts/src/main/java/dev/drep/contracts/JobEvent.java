package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * Progress or completion of a job, published by the review-publisher on {@link Addresses#JOB_EVENTS}
 * and applied by the scanner, which owns jobs.
 *
 * @param jobId      the job
 * @param status     {@link JobStatus#ANALYZING} for progress, {@link JobStatus#DONE} or {@link JobStatus#FAILED} at the end
 * @param unitsDone  results gathered so far
 * @param unitsTotal units planned
 * @param findings   count of findings per severity (final events)
 * @param outputs    where the review went (files, URLs)
 * @param message    why a job failed, or null
 * @param stages     final events: the stage spans of the analyzers (per unit) and of the publisher
 * @param usage      final events: LLM use of the whole job
 * @param retryFiles final events: changed files this review could not analyse (an analyzer refused or failed, or
 *                   one carried over still not analysed); the next review of the same pull request analyses them
 *                   again even when they did not change. Empty in events of older publishers
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobEvent(String jobId, JobStatus status, int unitsDone, int unitsTotal, Map<Severity, Integer> findings,
        List<String> outputs, String message, List<StageSpan> stages, UnitUsage usage, List<String> retryFiles) {
    public JobEvent {
        retryFiles = retryFiles == null ? List.of() : List.copyOf(retryFiles);
        findings = findings == null ? Map.of() : Map.copyOf(findings);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        stages = stages == null ? List.of() : List.copyOf(stages);
        usage = usage == null ? UnitUsage.NONE : usage;
    }

    /** A final event with no file to analyse again. */
    public JobEvent(String jobId, JobStatus status, int unitsDone, int unitsTotal, Map<Severity, Integer> findings,
            List<String> outputs, String message, List<StageSpan> stages, UnitUsage usage) {
        this(jobId, status, unitsDone, unitsTotal, findings, outputs, message, stages, usage, null);
    }

    /** A progress event (no stages, no usage). */
    public JobEvent(String jobId, JobStatus status, int unitsDone, int unitsTotal, Map<Severity, Integer> findings,
            List<String> outputs, String message) {
        this(jobId, status, unitsDone, unitsTotal, findings, outputs, message, null, null, null);
    }
}
