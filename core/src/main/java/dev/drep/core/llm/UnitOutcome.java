package dev.drep.core.llm;

import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.UnitUsage;
import java.util.List;

/**
 * The result of an LLM analyzer over a unit's files.
 *
 * @param findings        inline findings (on changed lines)
 * @param summaryFindings findings for the summary
 * @param notAnalyzed     files or parts not analysed, with the reason
 * @param usage           calls, cache hits, tokens and cost
 */
public record UnitOutcome(List<Finding> findings, List<Finding> summaryFindings, List<NotAnalyzed> notAnalyzed,
        UnitUsage usage) {
    public UnitOutcome {
        findings = List.copyOf(findings);
        summaryFindings = List.copyOf(summaryFindings);
        notAnalyzed = List.copyOf(notAnalyzed);
    }
}
