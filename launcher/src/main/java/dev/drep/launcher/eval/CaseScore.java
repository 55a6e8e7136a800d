package dev.drep.launcher.eval;

import dev.drep.contracts.Finding;
import dev.drep.contracts.Review;
import dev.drep.contracts.UnitUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How one case's review compares to its labels.
 *
 * @param id       the case
 * @param language the case's language
 * @param clean    true when the case has no seeded problem
 * @param problems how many problems were seeded
 * @param findings how many findings the review reported (inline and in the summary)
 * @param found    findings that point at a seeded problem (at most one per problem)
 * @param falseFindings findings that point at none (or at a problem another finding already points at)
 * @param missed   seeded problems no finding points at
 * @param usage    LLM calls, tokens and cost of the review
 * @param dropped  the model's findings drep dropped before they reached the review, by reason (grounding's reasons,
 *                 and the verifier's {@code refuted} and {@code unconfirmed})
 * @param lowConfidence findings the verifier did not confirm, folded in the summary ({@code verify: fold}); not
 *                 scored as reported: the review does not present them as findings
 */
public record CaseScore(String id, String language, boolean clean, int problems, int findings, int found,
        List<Reported> falseFindings, List<EvalCase.Problem> missed, UnitUsage usage, Map<String, Integer> dropped,
        int lowConfidence) {
    /** The reasons the verifier drops a finding for; every other reason is grounding's. */
    public static final Set<String> VERIFIER_REASONS = Set.of("refuted", "unconfirmed");

    public CaseScore {
        falseFindings = List.copyOf(falseFindings);
        missed = List.copyOf(missed);
        usage = usage == null ? UnitUsage.NONE : usage;
        dropped = dropped == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(dropped));
    }

    /** A finding pointing within this many lines of a problem's line points at it. */
    public static final int LINE_TOLERANCE = 2;

    /** A finding as the report shows it. */
    public record Reported(String rule, String path, int line, String message) {
        static Reported of(Finding finding) {
            return new Reported(finding.rule(), finding.path(), finding.line(), finding.message());
        }
    }

    /**
     * Scores a review: a finding points at a problem when it is on the problem's file and its line range, widened by
     * {@link #LINE_TOLERANCE} lines each way, holds the problem's line. Each problem takes the nearest such finding;
     * a second finding on the same problem is a false one (a duplicate is noise to a reviewer). Findings on a whole
     * file (no line) point at no problem.
     */
    public static CaseScore score(EvalCase evalCase, Review review) {
        List<Finding> reported = new ArrayList<>(review.findings());
        reported.addAll(review.summaryFindings());
        CaseScore score = score(evalCase, reported, review.usage(), review.droppedFindings());
        return new CaseScore(score.id, score.language, score.clean, score.problems, score.findings, score.found,
                score.falseFindings, score.missed, score.usage, score.dropped, review.lowConfidenceFindings().size());
    }

    /** As {@link #score(EvalCase, Review)}, for findings and figures given one by one. */
    public static CaseScore score(EvalCase evalCase, List<Finding> reported, UnitUsage usage, Map<String, Integer> dropped) {
        List<Finding> unmatched = new ArrayList<>(reported);
        List<EvalCase.Problem> missed = new ArrayList<>();
        int found = 0;
        for (EvalCase.Problem problem : evalCase.problems()) {
            Finding nearest = unmatched.stream()
                    .filter(f -> f.line() >= 1 && f.path().equals(problem.path()))
                    .filter(f -> f.line() - LINE_TOLERANCE <= problem.line() && problem.line() <= f.endLine() + LINE_TOLERANCE)
                    .min(Comparator.comparingInt(f -> Math.abs(f.line() - problem.line())))
                    .orElse(null);
            if (nearest == null) {
                missed.add(problem);
            } else {
                unmatched.remove(nearest);
                found++;
            }
        }
        return new CaseScore(evalCase.id(), evalCase.language(), evalCase.clean(), evalCase.problems().size(),
                reported.size(), found, unmatched.stream().map(Reported::of).toList(), missed, usage, dropped, 0);
    }

    /** @return how many of the model's findings were dropped, for any reason */
    public int droppedCount() {
        return dropped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** @return how many of the model's findings the verifier dropped (refuted, or unconfirmed with {@code verify: drop}) */
    public int droppedByVerifier() {
        return dropped.entrySet().stream().filter(e -> VERIFIER_REASONS.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue).sum();
    }

    /** @return how many of the model's findings grounding dropped (every reason but the verifier's) */
    public int droppedByGrounding() {
        return droppedCount() - droppedByVerifier();
    }

    /** @return tokens spent, prompt and completion */
    public long tokens() {
        return usage.promptTokens() + usage.completionTokens();
    }
}
