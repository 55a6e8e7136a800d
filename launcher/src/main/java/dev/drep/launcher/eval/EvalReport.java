package dev.drep.launcher.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;

/**
 * The evaluation's result: each case's score and the totals a reader compares models and settings by.
 *
 * @param cases  each case's score, by id
 * @param totals the figures over all cases
 */
public record EvalReport(List<CaseScore> cases, Totals totals) {
    /**
     * @param cases          cases reviewed
     * @param cleanCases     cases without a seeded problem
     * @param problems       problems seeded
     * @param findings       findings reported
     * @param truePositives  findings that point at a seeded problem
     * @param falsePositives findings that do not
     * @param precision      true / reported (null when nothing was reported)
     * @param recall         problems found / problems seeded (null when none was seeded)
     * @param f1             harmonic mean of precision and recall (null when either is null or both are 0)
     * @param noise          findings per clean case (null without clean cases)
     * @param tokensPerCase  prompt and completion tokens per case
     * @param costPerCase    cost per case in the gateway's currency unit
     * @param llmCalls       calls to the gateway, cache hits included
     * @param droppedFindings the model's findings drep dropped before they reached a review, by reason
     * @param droppedByGrounding of those, the ones grounding dropped (quote not found, path not in the request, ...)
     * @param droppedByVerifier  of those, the ones the verifier dropped ({@code refuted}, {@code unconfirmed})
     * @param lowConfidence  findings the verifier did not confirm, folded in the reviews' summaries (not in
     *                       {@code findings})
     * @param verifyTokensPerCase the verifier's prompt and completion tokens per case (part of {@code tokensPerCase})
     * @param verifyTokenShare the verifier's tokens over the rest of the reviews' tokens: 0.25 is a verifier that
     *                       added 25 % to what the reviews cost without it (null when the reviews spent none)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Totals(int cases, int cleanCases, int problems, int findings, int truePositives, int falsePositives,
            Double precision, Double recall, Double f1, Double noise, double tokensPerCase, double costPerCase,
            int llmCalls, Map<String, Integer> droppedFindings, int droppedByGrounding, int droppedByVerifier,
            int lowConfidence, double verifyTokensPerCase, Double verifyTokenShare) {
    }

    /** @return the report of {@code cases} */
    public static EvalReport of(List<CaseScore> cases) {
        int clean = 0;
        int problems = 0;
        int findings = 0;
        int truePositives = 0;
        int cleanFindings = 0;
        long tokens = 0;
        double cost = 0;
        int calls = 0;
        int byVerifier = 0;
        int lowConfidence = 0;
        long verifyTokens = 0;
        Map<String, Integer> dropped = new TreeMap<>();
        for (CaseScore score : cases) {
            byVerifier += score.droppedByVerifier();
            lowConfidence += score.lowConfidence();
            verifyTokens += score.usage().verifyTokens();
            score.dropped().forEach((reason, n) -> dropped.merge(reason, n, Integer::sum));
            problems += score.problems();
            findings += score.findings();
            truePositives += score.found();
            tokens += score.tokens();
            cost += score.usage().cost();
            calls += score.usage().llmCalls();
            if (score.clean()) {
                clean++;
                cleanFindings += score.findings();
            }
        }
        Double precision = findings == 0 ? null : (double) truePositives / findings;
        Double recall = problems == 0 ? null : (double) truePositives / problems;
        Double f1 = precision == null || recall == null || precision + recall == 0 ? null
                : 2 * precision * recall / (precision + recall);
        Double noise = clean == 0 ? null : (double) cleanFindings / clean;
        int n = Math.max(cases.size(), 1);
        int droppedTotal = dropped.values().stream().mapToInt(Integer::intValue).sum();
        Double share = tokens - verifyTokens <= 0 ? null : (double) verifyTokens / (tokens - verifyTokens);
        return new EvalReport(List.copyOf(cases), new Totals(cases.size(), clean, problems, findings, truePositives,
                findings - truePositives, precision, recall, f1, noise, (double) tokens / n, cost / n, calls,
                Collections.unmodifiableMap(dropped), droppedTotal - byVerifier, byVerifier, lowConfidence,
                (double) verifyTokens / n, share));
    }

    /** Prints the report as a table: one line per case, then the totals, then what was reported falsely or missed. */
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%-34s %-10s %8s %8s %6s %6s %7s %9s %8s %6s %8s %10s%n", "case", "language",
                "problems", "findings", "true", "false", "missed", "grounding", "verifier", "folded", "tokens", "cost");
        for (CaseScore score : cases) {
            out.printf(Locale.ROOT, "%-34s %-10s %8d %8d %6d %6d %7d %9d %8d %6d %8d %10.5f%n", score.id(),
                    score.language(), score.problems(), score.findings(), score.found(), score.falseFindings().size(),
                    score.missed().size(), score.droppedByGrounding(), score.droppedByVerifier(), score.lowConfidence(),
                    score.tokens(), score.usage().cost());
        }
        Totals t = totals;
        out.println();
        out.printf(Locale.ROOT, "cases %d (%d clean), problems %d, findings %d (%d true, %d false)%n", t.cases(),
                t.cleanCases(), t.problems(), t.findings(), t.truePositives(), t.falsePositives());
        out.printf(Locale.ROOT, "precision %s  recall %s  F1 %s  noise %s findings per clean pull request%n",
                ratio(t.precision()), ratio(t.recall()), ratio(t.f1()), ratio(t.noise()));
        int droppedTotal = t.droppedFindings().values().stream().mapToInt(Integer::intValue).sum();
        out.printf(Locale.ROOT, "dropped before reaching a review: %d of the model's findings%s%n", droppedTotal,
                droppedTotal == 0 ? "" : " (" + String.join(", ", t.droppedFindings().entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey().replace('_', ' ')).toList()) + ")");
        out.printf(Locale.ROOT, "by stage: grounding dropped %d, the verifier dropped %d and folded %d as low confidence%n",
                t.droppedByGrounding(), t.droppedByVerifier(), t.lowConfidence());
        out.printf(Locale.ROOT, "per pull request: %.0f tokens, cost %.5f; %d LLM calls in all%n", t.tokensPerCase(),
                t.costPerCase(), t.llmCalls());
        out.printf(Locale.ROOT, "verifier: %.0f tokens per pull request, %s over the review without it%n",
                t.verifyTokensPerCase(), t.verifyTokenShare() == null ? "n/a"
                        : String.format(Locale.ROOT, "%+.0f %%", 100 * t.verifyTokenShare()));
        for (CaseScore score : cases) {
            for (CaseScore.Reported f : score.falseFindings()) {
                out.printf(Locale.ROOT, "false   %s  %s:%d [%s] %s%n", score.id(), f.path(), f.line(), f.rule(),
                        oneLine(f.message()));
            }
            for (EvalCase.Problem p : score.missed()) {
                out.printf(Locale.ROOT, "missed  %s  %s:%d %s%n", score.id(), p.path(), p.line(), p.about());
            }
        }
        out.flush();
    }

    private static String ratio(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String oneLine(String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return line.length() > 100 ? line.substring(0, 99) + "…" : line;
    }
}
