package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A composed review: the content of {@code review.json}, read back by the CLI.
 *
 * @param jobId       the job
 * @param repository  what was reviewed
 * @param base        base commit id
 * @param head        head commit id
 * @param summary     the summary text (markdown)
 * @param counts      findings per severity
 * @param findings    inline findings, anchored to new-file lines, sorted by path and line
 * @param notAnalyzed what could not be analysed, and why
 * @param deleted     paths deleted between base and head
 * @param summaryFindings findings shown in the summary only (not on a changed line, or over the inline limit)
 * @param notes       notes for the reader, e.g. an ignored invalid configuration
 * @param usage       LLM calls, tokens and cost spent on the review
 * @param droppedFindings the model's findings the analyzers dropped (not grounded in the code, a suggestion that does
 *                    not apply, ...), by reason, summed over the review's units; empty when none were
 * @param lowConfidenceFindings findings the verifier did not confirm ({@code verify: fold}), shown folded in the
 *                    summary; not posted inline, not in {@code counts}, never failing the check
 * @param walkthrough what the pull request changes, in the model's words (untrusted text), or null when none was
 *                    asked for
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Review(String jobId, String repository, String base, String head, String summary,
        Map<Severity, Integer> counts, List<Finding> findings, List<NotAnalyzed> notAnalyzed, List<String> deleted,
        List<Finding> summaryFindings, List<String> notes, UnitUsage usage, Map<String, Integer> droppedFindings,
        List<Finding> lowConfidenceFindings, Walkthrough walkthrough) {
    public Review {
        lowConfidenceFindings = lowConfidenceFindings == null ? List.of() : List.copyOf(lowConfidenceFindings);
        droppedFindings = droppedFindings == null ? Map.of()
                : Collections.unmodifiableSortedMap(new TreeMap<>(droppedFindings));
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        findings = findings == null ? List.of() : List.copyOf(findings);
        notAnalyzed = notAnalyzed == null ? List.of() : List.copyOf(notAnalyzed);
        deleted = deleted == null ? List.of() : List.copyOf(deleted);
        summaryFindings = summaryFindings == null ? List.of() : List.copyOf(summaryFindings);
        notes = notes == null ? List.of() : List.copyOf(notes);
        usage = usage == null ? UnitUsage.NONE : usage;
    }

    /** A review without a walkthrough. */
    public Review(String jobId, String repository, String base, String head, String summary,
            Map<Severity, Integer> counts, List<Finding> findings, List<NotAnalyzed> notAnalyzed, List<String> deleted,
            List<Finding> summaryFindings, List<String> notes, UnitUsage usage, Map<String, Integer> droppedFindings,
            List<Finding> lowConfidenceFindings) {
        this(jobId, repository, base, head, summary, counts, findings, notAnalyzed, deleted, summaryFindings, notes,
                usage, droppedFindings, lowConfidenceFindings, null);
    }

    /** A review without low-confidence findings. */
    public Review(String jobId, String repository, String base, String head, String summary,
            Map<Severity, Integer> counts, List<Finding> findings, List<NotAnalyzed> notAnalyzed, List<String> deleted,
            List<Finding> summaryFindings, List<String> notes, UnitUsage usage, Map<String, Integer> droppedFindings) {
        this(jobId, repository, base, head, summary, counts, findings, notAnalyzed, deleted, summaryFindings, notes,
                usage, droppedFindings, null);
    }

    /** A review without dropped findings. */
    public Review(String jobId, String repository, String base, String head, String summary,
            Map<Severity, Integer> counts, List<Finding> findings, List<NotAnalyzed> notAnalyzed, List<String> deleted,
            List<Finding> summaryFindings, List<String> notes, UnitUsage usage) {
        this(jobId, repository, base, head, summary, counts, findings, notAnalyzed, deleted, summaryFindings, notes,
                usage, null, null);
    }

    /** A review with inline findings only, no notes and no LLM use. */
    public Review(String jobId, String repository, String base, String head, String summary,
            Map<Severity, Integer> counts, List<Finding> findings, List<NotAnalyzed> notAnalyzed, List<String> deleted) {
        this(jobId, repository, base, head, summary, counts, findings, notAnalyzed, deleted, null, null, null, null,
                null);
    }
}
