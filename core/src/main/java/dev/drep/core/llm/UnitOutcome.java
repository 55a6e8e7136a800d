package dev.drep.core.llm;

import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.UnitUsage;
import java.util.List;
import java.util.Map;

/**
 * The result of an LLM analyzer over a unit's files.
 *
 * @param findings        inline findings (on changed lines)
 * @param summaryFindings findings for the summary
 * @param notAnalyzed     files or parts not analysed, with the reason
 * @param usage           calls, cache hits, tokens and cost
 * @param dropped         the model's findings dropped before they left the analyzer, by reason
 */
public record UnitOutcome(List<Finding> findings, List<Finding> summaryFindings, List<NotAnalyzed> notAnalyzed,
        UnitUsage usage, Map<DropReason, Integer> dropped) {
    public UnitOutcome {
        findings = List.copyOf(findings);
        summaryFindings = List.copyOf(summaryFindings);
        notAnalyzed = List.copyOf(notAnalyzed);
        dropped = dropped == null ? Map.of() : Map.copyOf(dropped);
    }

    /** An outcome with no dropped findings. */
    public UnitOutcome(List<Finding> findings, List<Finding> summaryFindings, List<NotAnalyzed> notAnalyzed,
            UnitUsage usage) {
        this(findings, summaryFindings, notAnalyzed, usage, Map.of());
    }
}
