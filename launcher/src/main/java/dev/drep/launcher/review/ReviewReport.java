package dev.drep.launcher.review;

import dev.drep.contracts.Finding;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints a finished review as text: a heading, the summary, one line per finding, the files, the verdict. */
public final class ReviewReport {
    private ReviewReport() {
    }

    /**
     * @param out       where to print
     * @param review    the review
     * @param files     the review files written
     * @param threshold the {@code --fail-on} level
     */
    public static void print(PrintWriter out, Review review, List<Path> files, Severity threshold) {
        out.println("drep review of " + review.repository() + " " + shortId(review.base()) + ".." + shortId(review.head())
                + ": " + counts(review));
        if (review.summary() != null && !review.summary().isBlank()) {
            out.println();
            out.println(review.summary().strip());
        }
        if (!review.findings().isEmpty()) {
            out.println();
            for (Finding finding : review.findings()) {
                out.println(FindingFormat.line(finding));
            }
        }
        out.println();
        if (!files.isEmpty()) {
            out.println("Review files: " + String.join(", ", files.stream().map(Path::toString).toList()));
        }
        long blocking = Verdict.blocking(review, threshold);
        out.println(blocking == 0
                ? "Nothing at or above " + threshold.label() + "."
                : blocking + (blocking == 1 ? " finding" : " findings") + " at or above " + threshold.label()
                        + " (--fail-on " + threshold.label() + ").");
        out.flush();
    }

    /** @return e.g. {@code 1 error, 2 warnings, 0 info} */
    static String counts(Review review) {
        Map<Severity, Integer> counts = review.counts();
        List<String> parts = new ArrayList<>();
        for (Severity severity : List.of(Severity.ERROR, Severity.WARNING, Severity.INFO)) {
            long n = counts.containsKey(severity) ? counts.get(severity)
                    : review.findings().stream().filter(f -> f.severity() == severity).count();
            String label = severity.label();
            parts.add(n + " " + (n == 1 || severity == Severity.INFO ? label : label + "s"));
        }
        return String.join(", ", parts);
    }

    private static String shortId(String id) {
        if (id == null) {
            return "?";
        }
        return id.length() == 40 && id.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                ? id.substring(0, 12).toLowerCase(Locale.ROOT) : id;
    }
}
