package dev.drep.core.review;

import dev.drep.contracts.Finding;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import dev.drep.contracts.UnitResult;
import dev.drep.contracts.Walkthrough;
import dev.drep.contracts.UnitUsage;
import dev.drep.core.llm.DropReason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Composes a job's {@link Review} from its {@link JobPlan} and the {@link UnitResult}s of its work units.
 *
 * <ul>
 *   <li>Findings of every result are merged; identical findings (same rule, path, line and message) are
 *       kept once, the first one seen winning, so that an analyzer retried on the same unit, or two units
 *       reporting the same problem, never produce duplicate comments. They are sorted by path, line,
 *       rule and message.</li>
 *   <li>Counts hold every {@link Severity}, 0 when there is none of it.</li>
 *   <li>Files not analysed come from the plan (skipped by the scanner) and from the results (skipped by
 *       an analyzer), without duplicates, sorted by path.</li>
 *   <li>The summary is markdown: a headline, the counts, a "Not analyzed" section that is always present
 *       and names every skipped file with its reason, the units that sent no result, and the deleted
 *       files.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; the same inputs always give the same review, whatever the order in which
 * results arrived.
 */
public final class ReviewComposer {

    /** Order of findings in a review: path, line, rule, then message so that the order is total. */
    private static final Comparator<Finding> FINDING_ORDER = Comparator.comparing(Finding::path)
            .thenComparingInt(Finding::line)
            .thenComparing(Finding::rule)
            .thenComparing(f -> Objects.requireNonNullElse(f.message(), ""));

    private static final int SHORT_SHA_LENGTH = 7;

    /**
     * Composes the review of a job.
     *
     * @param plan    what the scanner planned: units, skipped files, deleted files
     * @param results the results received so far, in any order; results of units outside the plan are
     *                merged too
     * @return the review, ready for {@link ReviewRenderer}
     */
    public Review compose(JobPlan plan, List<UnitResult> results) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(results, "results");

        Map<FindingKey, Finding> unique = new LinkedHashMap<>();
        for (UnitResult result : results) {
            for (Finding finding : result.findings()) {
                unique.putIfAbsent(FindingKey.of(finding), finding);
            }
        }
        List<Finding> findings = new ArrayList<>(unique.values());
        findings.sort(FINDING_ORDER);

        Map<FindingKey, Finding> uniqueSummary = new LinkedHashMap<>();
        for (Finding finding : plan.findings()) {
            uniqueSummary.putIfAbsent(FindingKey.of(finding), finding);
        }
        for (UnitResult result : results) {
            for (Finding finding : result.summaryFindings()) {
                uniqueSummary.putIfAbsent(FindingKey.of(finding), finding);
            }
        }
        List<Finding> summaryFindings = new ArrayList<>(uniqueSummary.values());
        summaryFindings.sort(FINDING_ORDER);
        UnitUsage usage = UnitUsage.NONE;
        for (UnitResult result : results) {
            usage = usage.plus(result.usage());
        }
        Map<FindingKey, Finding> uniqueLow = new LinkedHashMap<>();
        for (UnitResult result : results) {
            for (Finding finding : result.lowConfidenceFindings()) {
                uniqueLow.putIfAbsent(FindingKey.of(finding), finding);
            }
        }
        List<Finding> lowConfidence = new ArrayList<>(uniqueLow.values());
        lowConfidence.sort(FINDING_ORDER);

        Map<String, Integer> dropped = new TreeMap<>();
        for (UnitResult result : results) {
            result.droppedFindings().forEach((reason, n) -> dropped.merge(reason, n, Integer::sum));
        }

        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            counts.put(severity, 0);
        }
        for (Finding finding : findings) {
            counts.merge(finding.severity(), 1, Integer::sum);
        }
        for (Finding finding : summaryFindings) {
            counts.merge(finding.severity(), 1, Integer::sum);
        }

        Set<NotAnalyzed> skipped = new LinkedHashSet<>(plan.notAnalyzed());
        for (UnitResult result : results) {
            skipped.addAll(result.notAnalyzed());
        }
        List<NotAnalyzed> notAnalyzed = new ArrayList<>(skipped);
        notAnalyzed.sort(Comparator.comparing(NotAnalyzed::path, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(NotAnalyzed::reason, Comparator.nullsFirst(Comparator.naturalOrder())));

        List<String> deleted = List.copyOf(new TreeSet<>(plan.deleted()));

        Set<String> received = new HashSet<>();
        for (UnitResult result : results) {
            received.add(result.unitId());
        }
        List<String> missingUnits = plan.unitIds().stream().filter(id -> !received.contains(id)).distinct().toList();

        String summary = summary(plan, findings, summaryFindings, counts, notAnalyzed, deleted, missingUnits, dropped,
                lowConfidence);
        // one describe unit per job: its walkthrough (untrusted text) travels with the review, rendered by the publisher
        Walkthrough walkthrough = results.stream().map(UnitResult::walkthrough).filter(Objects::nonNull).findFirst()
                .orElse(null);
        return new Review(plan.jobId(), plan.repository(), plan.base(), plan.head(), summary, counts, findings,
                notAnalyzed, deleted, summaryFindings, plan.notes(), usage, dropped, lowConfidence, walkthrough);
    }

    /**
     * The summary of an already composed review rendered again from its fields, e.g. after the publisher made
     * the findings' messages safe to post: the same text {@link #compose} gives for the same findings.
     *
     * @param plan            the job's plan
     * @param review          the review whose findings, counts, files not analysed and deleted files are shown
     * @param receivedUnitIds the units whose result is in (a planned unit missing here is named)
     */
    public String summary(JobPlan plan, Review review, Set<String> receivedUnitIds) {
        List<String> missingUnits = plan.unitIds().stream().filter(id -> !receivedUnitIds.contains(id)).distinct()
                .toList();
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            counts.put(severity, review.counts().getOrDefault(severity, 0));
        }
        return summary(plan, review.findings(), review.summaryFindings(), counts, review.notAnalyzed(),
                review.deleted(), missingUnits, review.droppedFindings(), review.lowConfidenceFindings());
    }

    private static String summary(JobPlan plan, List<Finding> findings, List<Finding> summaryFindings,
            Map<Severity, Integer> counts, List<NotAnalyzed> notAnalyzed, List<String> deleted,
            List<String> missingUnits, Map<String, Integer> dropped, List<Finding> lowConfidence) {
        StringBuilder md = new StringBuilder();
        String range = range(plan.base(), plan.head());
        String where = plan.repository() == null || plan.repository().isBlank()
                ? range : plan.repository() + " " + range;
        boolean nothingPlanned = plan.unitIds().isEmpty() && notAnalyzed.isEmpty() && findings.isEmpty();

        md.append("## drep review\n\n");
        for (String note : plan.notes()) {
            md.append("> **Note:** ").append(MarkdownText.oneLine(note)).append("\n\n");
        }
        if (nothingPlanned) {
            md.append("**Nothing to review ").append(where).append(": no changed file needed analysis");
            if (!deleted.isEmpty()) {
                md.append(" (").append(plural(deleted.size(), "file")).append(" deleted)");
            }
            md.append(".**\n");
            return md.toString();
        }

        md.append("**drep reviewed ").append(where).append(": ").append(headlineCounts(counts));
        if (!findings.isEmpty()) {
            md.append(" in ").append(plural((int) findings.stream().map(Finding::path).distinct().count(), "file"));
        }
        md.append("**\n\n");

        md.append("| Severity | Findings |\n| --- | ---: |\n");
        for (int i = Severity.values().length - 1; i >= 0; i--) {
            Severity severity = Severity.values()[i];
            md.append("| ").append(severity.label()).append(" | ").append(counts.get(severity)).append(" |\n");
        }
        md.append('\n');
        droppedLine(dropped, md);

        // Never omitted, even when empty: a reader must be able to tell "all analysed" from "not said".
        md.append("### Not analyzed\n\n");
        if (!missingUnits.isEmpty()) {
            md.append("> **Warning:** ").append(plural(missingUnits.size(), "work unit"))
                    .append(" of ").append(plan.unitIds().size())
                    .append(" sent no result; the files in ").append(missingUnits.size() == 1 ? "it" : "them")
                    .append(" are not covered by this review: ")
                    .append(String.join(", ", missingUnits.stream().map(MarkdownText::code).toList()))
                    .append("\n\n");
        }
        if (notAnalyzed.isEmpty()) {
            if (missingUnits.isEmpty()) {
                md.append("Every changed file was analysed.\n\n");
            }
        } else {
            md.append(plural(notAnalyzed.size(), "file")).append(" could not be analysed; review ")
                    .append(notAnalyzed.size() == 1 ? "it" : "them").append(" by hand:\n\n");
            for (NotAnalyzed skipped : notAnalyzed) {
                md.append("- ").append(MarkdownText.code(skipped.path())).append(": ")
                        .append(MarkdownText.oneLine(skipped.reason())).append('\n');
            }
            md.append('\n');
        }

        if (!summaryFindings.isEmpty()) {
            md.append("### Findings outside the changed lines\n\n");
            for (Finding finding : summaryFindings) {
                md.append("- ").append(MarkdownText.code(finding.location()))
                        .append(" ").append(finding.severity().label()).append(" [").append(finding.rule()).append("] ")
                        .append(MarkdownText.oneLine(finding.message())).append('\n');
            }
            md.append('\n');
        }
        lowConfidenceSection(lowConfidence, md);

        md.append("Deleted files: ").append(deleted.size())
                .append(deleted.isEmpty() ? "" : " (recorded, not analysed)").append(".\n");
        return md.toString();
    }

    /**
     * The findings the verifier did not confirm ({@code verify: fold}), folded: a reader opens them when they want,
     * and they are not mistaken for the review's findings. Nothing when there are none.
     */
    static void lowConfidenceSection(List<Finding> lowConfidence, StringBuilder md) {
        if (lowConfidence.isEmpty()) {
            return;
        }
        md.append("<details>\n<summary>Low confidence: ").append(plural(lowConfidence.size(), "finding"))
                .append(" the verifier did not confirm</summary>\n\n");
        for (Finding finding : lowConfidence) {
            md.append("- ").append(MarkdownText.code(finding.location()))
                    .append(" ").append(finding.severity().label()).append(" [").append(finding.rule()).append("] ")
                    .append(MarkdownText.oneLine(finding.message()));
            if (finding.confidence() != null) {
                md.append(" (confidence ").append(Math.round(finding.confidence() * 100)).append(" %)");
            }
            md.append('\n');
        }
        md.append("\n</details>\n\n");
    }

    /**
     * "Dropped 3 of the model's findings: 2 quoted code not found, 1 refuted by the verifier." (grounding's and the
     * verifier's reasons alike), most frequent reason first; nothing when none was dropped.
     */
    static void droppedLine(Map<String, Integer> dropped, StringBuilder md) {
        int total = dropped.values().stream().mapToInt(Integer::intValue).sum();
        if (total == 0) {
            return;
        }
        List<Map.Entry<String, Integer>> reasons = new ArrayList<>(dropped.entrySet());
        reasons.removeIf(e -> e.getValue() <= 0);
        reasons.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        md.append("Dropped ").append(total).append(" of the model's findings: ")
                .append(String.join(", ", reasons.stream()
                        .map(e -> e.getValue() + " " + DropReason.labelOf(e.getKey())).toList()))
                .append(".\n\n");
    }

    /** E.g. "2 warnings, 5 info", most severe first, zeros left out; "no findings" when all are zero. */
    static String headlineCounts(Map<Severity, Integer> counts) {
        List<String> parts = new ArrayList<>();
        for (int i = Severity.values().length - 1; i >= 0; i--) {
            Severity severity = Severity.values()[i];
            int n = counts.getOrDefault(severity, 0);
            if (n > 0) {
                parts.add(severity == Severity.INFO ? n + " info" : plural(n, severity.label()));
            }
        }
        return parts.isEmpty() ? "no findings" : String.join(", ", parts);
    }

    /** "between abc1234..def5678", or "at def5678" without a base. */
    private static String range(String base, String head) {
        if (base == null || base.isBlank()) {
            return "at " + shortSha(head);
        }
        return "between " + shortSha(base) + ".." + shortSha(head);
    }

    private static String shortSha(String sha) {
        if (sha == null || sha.isBlank()) {
            return "(unknown)";
        }
        return sha.length() > SHORT_SHA_LENGTH && sha.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                ? sha.substring(0, SHORT_SHA_LENGTH) : sha;
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** What makes two findings the same finding. */
    private record FindingKey(String rule, String path, int line, String message) {
        static FindingKey of(Finding f) {
            return new FindingKey(f.rule(), f.path(), f.line(), f.message());
        }
    }
}
