package dev.drep.core.llm;

import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.UnitUsage;
import dev.drep.contracts.Walkthrough;
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
 * @param lowConfidence   findings the verifier did not confirm, for the summary's folded section ({@code verify: fold})
 * @param verification    what the verifier did, for metrics; {@link Verification#NONE} when it did not run
 * @param walkthrough     the {@code describe} analyzer's walkthrough, or null
 */
public record UnitOutcome(List<Finding> findings, List<Finding> summaryFindings, List<NotAnalyzed> notAnalyzed,
        UnitUsage usage, Map<DropReason, Integer> dropped, List<Finding> lowConfidence, Verification verification,
        Walkthrough walkthrough) {
    public UnitOutcome {
        lowConfidence = lowConfidence == null ? List.of() : List.copyOf(lowConfidence);
        verification = verification == null ? Verification.NONE : verification;
        findings = List.copyOf(findings);
        summaryFindings = List.copyOf(summaryFindings);
        notAnalyzed = List.copyOf(notAnalyzed);
        dropped = dropped == null ? Map.of() : Map.copyOf(dropped);
    }

    /** An outcome without a walkthrough. */
    public UnitOutcome(List<Finding> findings, List<Finding> summaryFindings, List<NotAnalyzed> notAnalyzed,
            UnitUsage usage, Map<DropReason, Integer> dropped, List<Finding> lowConfidence, Verification verification) {
        this(findings, summaryFindings, notAnalyzed, usage, dropped, lowConfidence, verification, null);
    }

    /** @return an outcome that is only a walkthrough */
    public static UnitOutcome described(Walkthrough walkthrough, UnitUsage usage) {
        return new UnitOutcome(List.of(), List.of(), List.of(), usage, Map.of(), null, null, walkthrough);
    }

    /** An outcome the verifier did not look at. */
    public UnitOutcome(List<Finding> findings, List<Finding> summaryFindings, List<NotAnalyzed> notAnalyzed,
            UnitUsage usage, Map<DropReason, Integer> dropped) {
        this(findings, summaryFindings, notAnalyzed, usage, dropped, null, null);
    }

    /**
     * What the verifier did with a unit's findings.
     *
     * @param confirmed        findings confirmed with enough confidence
     * @param refuted          findings refuted (dropped)
     * @param unconfirmed      findings left unconfirmed (no verdict, too little confidence, a failed call)
     * @param fromCache        verdicts taken from the analysis cache (part of the three counts above)
     * @param readAnswers      answers that were the asked-for JSON (whatever they decided)
     * @param unusableAnswers  answers that were not the asked-for JSON (prose, a wrong shape): their findings are
     *                         unconfirmed
     * @param failedCalls      calls refused or failed for good (after the gateway client's patience), or not made
     *                         for the job's token ceiling: their findings are unconfirmed
     * @param unknownVerdicts  verdicts naming a finding that was not asked about (ignored)
     */
    public record Verification(int confirmed, int refuted, int unconfirmed, int fromCache, int readAnswers,
            int unusableAnswers, int failedCalls, int unknownVerdicts) {
        /** The verifier did not run. */
        public static final Verification NONE = new Verification(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** An outcome with no dropped findings. */
    public UnitOutcome(List<Finding> findings, List<Finding> summaryFindings, List<NotAnalyzed> notAnalyzed,
            UnitUsage usage) {
        this(findings, summaryFindings, notAnalyzed, usage, Map.of());
    }
}
