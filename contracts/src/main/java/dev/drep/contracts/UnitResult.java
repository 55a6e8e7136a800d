package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one work unit, published by an analyzer on {@link Addresses#ANALYSIS_RESULTS}.
 *
 * @param unitId         the unit analysed
 * @param jobId          its job
 * @param analyzer       the analyzer that ran
 * @param findings       findings on changed lines (posted inline)
 * @param notAnalyzed    files or parts that could not be analysed, with the reason
 * @param durationMillis time spent analysing
 * @param summaryFindings findings that belong in the summary, not inline (e.g. an LLM finding on a line
 *                        that was not changed)
 * @param usage          LLM calls, tokens and cost of the unit
 * @param stages         the analyzer's stage spans for the unit (queue wait, analysis, LLM wait and call, database)
 * @param droppedFindings how many of the model's findings the analyzer dropped before sending the result, by reason
 *                        (e.g. {@code quote_not_found}: the quoted code is not on the line the finding names); empty
 *                        for results without any, and when read from a message sent before the field existed
 * @param lowConfidenceFindings findings the verifier did not confirm, kept for the summary's folded "low
 *                        confidence" section ({@code verify: fold}); never inline, not counted by severity
 * @param walkthrough     the {@code describe} analyzer's walkthrough of the pull request, or null (other analyzers)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UnitResult(String unitId, String jobId, String analyzer, List<Finding> findings,
        List<NotAnalyzed> notAnalyzed, long durationMillis, List<Finding> summaryFindings, UnitUsage usage,
        List<StageSpan> stages, Map<String, Integer> droppedFindings, List<Finding> lowConfidenceFindings,
        Walkthrough walkthrough) {
    public UnitResult {
        lowConfidenceFindings = lowConfidenceFindings == null ? List.of() : List.copyOf(lowConfidenceFindings);
        droppedFindings = droppedFindings == null ? Map.of()
                : Collections.unmodifiableSortedMap(new TreeMap<>(droppedFindings));
        stages = stages == null ? List.of() : List.copyOf(stages);
        findings = findings == null ? List.of() : List.copyOf(findings);
        notAnalyzed = notAnalyzed == null ? List.of() : List.copyOf(notAnalyzed);
        summaryFindings = summaryFindings == null ? List.of() : List.copyOf(summaryFindings);
        usage = usage == null ? UnitUsage.NONE : usage;
    }

    /** A result without a walkthrough. */
    public UnitResult(String unitId, String jobId, String analyzer, List<Finding> findings,
            List<NotAnalyzed> notAnalyzed, long durationMillis, List<Finding> summaryFindings, UnitUsage usage,
            List<StageSpan> stages, Map<String, Integer> droppedFindings, List<Finding> lowConfidenceFindings) {
        this(unitId, jobId, analyzer, findings, notAnalyzed, durationMillis, summaryFindings, usage, stages,
                droppedFindings, lowConfidenceFindings, null);
    }

    /** A result without low-confidence findings. */
    public UnitResult(String unitId, String jobId, String analyzer, List<Finding> findings,
            List<NotAnalyzed> notAnalyzed, long durationMillis, List<Finding> summaryFindings, UnitUsage usage,
            List<StageSpan> stages, Map<String, Integer> droppedFindings) {
        this(unitId, jobId, analyzer, findings, notAnalyzed, durationMillis, summaryFindings, usage, stages,
                droppedFindings, null);
    }

    /** A result without dropped findings. */
    public UnitResult(String unitId, String jobId, String analyzer, List<Finding> findings,
            List<NotAnalyzed> notAnalyzed, long durationMillis, List<Finding> summaryFindings, UnitUsage usage,
            List<StageSpan> stages) {
        this(unitId, jobId, analyzer, findings, notAnalyzed, durationMillis, summaryFindings, usage, stages, null, null);
    }

    /** A result of a deterministic analyzer: inline findings only, no LLM use. */
    public UnitResult(String unitId, String jobId, String analyzer, List<Finding> findings,
            List<NotAnalyzed> notAnalyzed, long durationMillis) {
        this(unitId, jobId, analyzer, findings, notAnalyzed, durationMillis, List.of(), UnitUsage.NONE, List.of());
    }

    /** @return this result with the given stage spans */
    public UnitResult withStages(List<StageSpan> spans) {
        return new UnitResult(unitId, jobId, analyzer, findings, notAnalyzed, durationMillis, summaryFindings, usage,
                spans, droppedFindings, lowConfidenceFindings, walkthrough);
    }
}
