package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The outcome of one work unit, published by an analyzer on {@link Addresses#ANALYSIS_RESULTS}.
 *
 * @param unitId         the unit analysed
 * @param jobId          its job
 * @param analyzer       the analyzer that ran
 * @param findings       findings on changed lines
 * @param notAnalyzed    files or parts that could not be analysed, with the reason
 * @param durationMillis time spent analysing
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UnitResult(String unitId, String jobId, String analyzer, List<Finding> findings,
        List<NotAnalyzed> notAnalyzed, long durationMillis) {
    public UnitResult {
        findings = findings == null ? List.of() : List.copyOf(findings);
        notAnalyzed = notAnalyzed == null ? List.of() : List.copyOf(notAnalyzed);
    }
}
