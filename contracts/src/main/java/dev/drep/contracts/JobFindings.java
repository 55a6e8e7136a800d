package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What {@code GET /api/jobs/{id}/findings} answers: the findings of a job's composed review.
 *
 * @param jobId           the job
 * @param status          where the job is
 * @param findings        inline findings (on changed lines), sorted by path and line
 * @param summaryFindings findings shown in the summary only
 * @param notAnalyzed     what could not be analysed, and why
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobFindings(String jobId, JobStatus status, List<Finding> findings, List<Finding> summaryFindings,
        List<NotAnalyzed> notAnalyzed) {
    public JobFindings {
        findings = findings == null ? List.of() : List.copyOf(findings);
        summaryFindings = summaryFindings == null ? List.of() : List.copyOf(summaryFindings);
        notAnalyzed = notAnalyzed == null ? List.of() : List.copyOf(notAnalyzed);
    }
}
