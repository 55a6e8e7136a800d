package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Review(String jobId, String repository, String base, String head, String summary,
        Map<Severity, Integer> counts, List<Finding> findings, List<NotAnalyzed> notAnalyzed, List<String> deleted) {
    public Review {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        findings = findings == null ? List.of() : List.copyOf(findings);
        notAnalyzed = notAnalyzed == null ? List.of() : List.copyOf(notAnalyzed);
        deleted = deleted == null ? List.of() : List.copyOf(deleted);
    }
}
