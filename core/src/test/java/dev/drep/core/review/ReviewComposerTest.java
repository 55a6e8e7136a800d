package dev.drep.core.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Finding;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Review;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.contracts.UnitResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewComposerTest {

    static final String BASE = "abc1234def567890abc1234def567890abc12345";
    static final String HEAD = "def5678abc123456def5678abc123456def56789";

    private final ReviewComposer composer = new ReviewComposer();

    static JobPlan plan(List<String> units, List<NotAnalyzed> notAnalyzed, List<String> deleted) {
        return new JobPlan("job-1", "acme/docs", BASE, HEAD, units, notAnalyzed, deleted, ReviewTarget.local("/tmp/out"));
    }

    static Finding finding(String rule, String path, int line, Severity severity, String message) {
        return new Finding(rule, path, line, severity, message, null);
    }

    static UnitResult result(String unitId, List<Finding> findings, List<NotAnalyzed> notAnalyzed) {
        return new UnitResult(unitId, "job-1", "markdown", findings, notAnalyzed, 12);
    }

    @Test
    void mergesDeduplicatesSortsAndCounts() {
        Finding bracketsB = finding("md.unbalanced-brackets", "docs/b.md", 3, Severity.WARNING, "'[' never closed");
        Finding tabB = finding("md.tab", "docs/b.md", 3, Severity.INFO, "tab");
        Finding urlA10 = finding("md.bare-url", "docs/a.md", 10, Severity.INFO, "bare URL x");
        Finding urlA2 = finding("md.bare-url", "docs/a.md", 2, Severity.INFO, "bare URL y");
        Finding llmError = finding("llm.bug", "src/Main.java", 7, Severity.ERROR, "null dereference");
        // Same rule, path, line and message as urlA10: a duplicate even with another suggestion.
        Finding urlA10Again = new Finding("md.bare-url", "docs/a.md", 10, Severity.INFO, "bare URL x", "<x>");
        // Same place and rule, another message: a different finding.
        Finding urlA10Other = finding("md.bare-url", "docs/a.md", 10, Severity.INFO, "bare URL z");

        Review review = composer.compose(plan(List.of("u1", "u2", "u3"), List.of(), List.of()), List.of(
                result("u1", List.of(bracketsB, urlA10, tabB), List.of()),
                result("u2", List.of(urlA2, urlA10Again, urlA10Other), List.of()),
                result("u3", List.of(llmError, bracketsB), List.of())));

        assertThat(review.findings()).containsExactly(urlA2, urlA10, urlA10Other, tabB, bracketsB, llmError);
        assertThat(review.findings().get(1).suggestion()).as("first finding seen wins").isNull();
        assertThat(review.counts()).containsExactlyInAnyOrderEntriesOf(
                Map.of(Severity.INFO, 4, Severity.WARNING, 1, Severity.ERROR, 1));
        assertThat(review.jobId()).isEqualTo("job-1");
        assertThat(review.repository()).isEqualTo("acme/docs");
        assertThat(review.base()).isEqualTo(BASE);
        assertThat(review.head()).isEqualTo(HEAD);
    }

    @Test
    void theSummaryRenderedAgainFromAComposedReviewIsTheSameText() {
        JobPlan plan = plan(List.of("u1", "u2", "u3"), List.of(new NotAnalyzed("z.bin", "binary file")), List.of("old.md"));
        UnitResult u1 = new UnitResult("u1", "job-1", "markdown", List.of(finding("md.tab", "a.md", 1, Severity.INFO, "tab")),
                List.of(new NotAnalyzed("c.md", "too large")), 3,
                List.of(finding("llm.bug", "b.java", 9, Severity.ERROR, "null dereference")), null, null);
        UnitResult u2 = result("u2", List.of(finding("md.tab", "b.md", 2, Severity.WARNING, "tab")), List.of());
        Review review = composer.compose(plan, List.of(u1, u2));

        assertThat(composer.summary(plan, review, java.util.Set.of("u1", "u2"))).isEqualTo(review.summary())
                .contains("1 work unit of 3 sent no result");
    }

    @Test
    void everySeverityIsCountedEvenWhenZero() {
        Review review = composer.compose(plan(List.of("u1"), List.of(), List.of()), List.of(result("u1", List.of(), List.of())));
        assertThat(review.counts()).containsExactlyInAnyOrderEntriesOf(
                Map.of(Severity.INFO, 0, Severity.WARNING, 0, Severity.ERROR, 0));
        assertThat(review.findings()).isEmpty();
    }

    @Test
    void theOrderInWhichResultsArriveDoesNotMatter() {
        JobPlan plan = plan(List.of("u1", "u2"), List.of(new NotAnalyzed("z.bin", "binary file")), List.of("old.md"));
        List<UnitResult> results = new ArrayList<>(List.of(
                result("u1", List.of(finding("md.tab", "b.md", 1, Severity.INFO, "tab"),
                        finding("md.tab", "a.md", 1, Severity.INFO, "tab")), List.of(new NotAnalyzed("c.md", "too large"))),
                result("u2", List.of(finding("md.blank-lines", "a.md", 1, Severity.INFO, "3 blank lines")),
                        List.of(new NotAnalyzed("a.svg", "binary file")))));
        Review forward = composer.compose(plan, results);
        Collections.reverse(results);
        assertThat(composer.compose(plan, results)).isEqualTo(forward);
    }

    @Test
    void notAnalyzedComesFromThePlanAndTheResultsWithoutDuplicates() {
        JobPlan plan = plan(List.of("u1"), List.of(new NotAnalyzed("img/logo.png", "binary file"),
                new NotAnalyzed("data/big.json", "larger than 1 MiB")), List.of("gone.md", "also-gone.md"));
        Review review = composer.compose(plan, List.of(result("u1", List.of(),
                List.of(new NotAnalyzed("docs/latin1.md", "not UTF-8"), new NotAnalyzed("img/logo.png", "binary file")))));

        assertThat(review.notAnalyzed()).containsExactly(new NotAnalyzed("data/big.json", "larger than 1 MiB"),
                new NotAnalyzed("docs/latin1.md", "not UTF-8"), new NotAnalyzed("img/logo.png", "binary file"));
        assertThat(review.deleted()).containsExactly("also-gone.md", "gone.md");
        assertThat(review.summary())
                .contains("### Not analyzed")
                .contains("3 files could not be analysed; review them by hand:")
                .contains("- `data/big.json`: larger than 1 MiB\n")
                .contains("- `docs/latin1.md`: not UTF-8\n")
                .contains("- `img/logo.png`: binary file\n")
                .contains("Deleted files: 2 (recorded, not analysed).");
    }

    @Test
    void summaryHasHeadlineCountsAndAnAlwaysPresentNotAnalyzedSection() {
        Review review = composer.compose(plan(List.of("u1"), List.of(), List.of()), List.of(result("u1", List.of(
                finding("md.unbalanced-brackets", "a.md", 1, Severity.WARNING, "w1"),
                finding("md.unclosed-fence", "b.md", 9, Severity.WARNING, "w2"),
                finding("md.tab", "a.md", 2, Severity.INFO, "i1"),
                finding("md.tab", "a.md", 3, Severity.INFO, "i2"),
                finding("md.tab", "a.md", 4, Severity.INFO, "i3"),
                finding("md.tab", "a.md", 5, Severity.INFO, "i4"),
                finding("md.tab", "a.md", 6, Severity.INFO, "i5")), List.of())));

        assertThat(review.summary()).isEqualTo("""
                ## drep review

                **drep reviewed acme/docs between abc1234..def5678: 2 warnings, 5 info in 2 files**

                | Severity | Findings |
                | --- | ---: |
                | error | 0 |
                | warning | 2 |
                | info | 5 |

                ### Not analyzed

                Every changed file was analysed.

                Deleted files: 0.
                """);
    }

    @Test
    void findingsTheAnalyzersDroppedAreSummedAcrossUnitsAndShownInTheSummaryWithTheirReasons() {
        UnitResult first = new UnitResult("u1", "job-1", "llm-review", List.of(), List.of(), 12, List.of(), null,
                List.of(), Map.of("quote_not_found", 2, "suggestion_does_not_apply", 1));
        UnitResult second = new UnitResult("u2", "job-1", "llm-review", List.of(), List.of(), 12, List.of(), null,
                List.of(), Map.of("quote_not_found", 1, "path_not_in_request", 1));
        Review review = composer.compose(plan(List.of("u1", "u2"), List.of(), List.of()), List.of(first, second));

        assertThat(review.droppedFindings()).containsExactly(Map.entry("path_not_in_request", 1),
                Map.entry("quote_not_found", 3), Map.entry("suggestion_does_not_apply", 1));
        assertThat(review.summary()).contains("| info | 0 |\n\nDropped 5 of the model's findings: "
                + "3 quoted code not found, 1 path not in the request, 1 suggestion does not apply.\n\n");
        Review none = composer.compose(plan(List.of("u1"), List.of(), List.of()),
                List.of(result("u1", List.of(), List.of())));
        assertThat(none.summary()).doesNotContain("Dropped");
    }

    @Test
    void findingsTheVerifierDidNotConfirmAreFoldedInTheSummaryAndNotCounted() {
        Finding unsure = finding("llm.bug", "src/A.java", 12, Severity.ERROR, "may leak the stream").withConfidence(0.4);
        Finding unanswered = finding("llm.style", "src/A.java", 3, Severity.INFO, "name <b>x</b> is unclear");
        Finding confirmed = finding("llm.bug", "src/A.java", 20, Severity.WARNING, "off by one").withConfidence(0.9);
        UnitResult unit = new UnitResult("u1", "job-1", "llm-review", List.of(confirmed), List.of(), 12, List.of(),
                null, List.of(), Map.of("refuted", 2), List.of(unsure, unanswered));

        Review review = composer.compose(plan(List.of("u1"), List.of(), List.of()), List.of(unit));

        assertThat(review.lowConfidenceFindings()).containsExactly(unanswered, unsure);
        assertThat(review.counts()).containsEntry(Severity.ERROR, 0).containsEntry(Severity.WARNING, 1)
                .containsEntry(Severity.INFO, 0);
        assertThat(review.summary()).contains("Dropped 2 of the model's findings: "
                + "2 refuted by the verifier.")
                .contains("<details>\n<summary>Low confidence: 2 findings the verifier did not confirm</summary>\n\n"
                        + "- `src/A.java:3` info [llm.style] name <b>x</b> is unclear\n"
                        + "- `src/A.java:12` error [llm.bug] may leak the stream (confidence 40 %)\n\n</details>\n\n");
        Review none = composer.compose(plan(List.of("u1"), List.of(), List.of()),
                List.of(result("u1", List.of(), List.of())));
        assertThat(none.summary()).doesNotContain("<details>");
    }

    @Test
    void headlineSaysNoFindingsAndUsesSingulars() {
        assertThat(ReviewComposer.headlineCounts(Map.of(Severity.INFO, 0, Severity.WARNING, 0, Severity.ERROR, 0)))
                .isEqualTo("no findings");
        assertThat(ReviewComposer.headlineCounts(Map.of(Severity.INFO, 1, Severity.WARNING, 1, Severity.ERROR, 1)))
                .isEqualTo("1 error, 1 warning, 1 info");
        assertThat(ReviewComposer.headlineCounts(Map.of(Severity.ERROR, 3))).isEqualTo("3 errors");

        Review clean = composer.compose(plan(List.of("u1"), List.of(), List.of()), List.of(result("u1", List.of(), List.of())));
        assertThat(clean.summary()).contains("**drep reviewed acme/docs between abc1234..def5678: no findings**");
    }

    @Test
    void unitsWithoutAResultAreNamedLoudly() {
        Review review = composer.compose(plan(List.of("u1", "u2", "u3"), List.of(), List.of()),
                List.of(result("u2", List.of(), List.of())));
        assertThat(review.summary())
                .contains("> **Warning:** 2 work units of 3 sent no result; the files in them are not covered by this review: `u1`, `u3`")
                .doesNotContain("Every changed file was analysed.");
    }

    @Test
    void nothingToReviewWhenNoFileWasPlanned() {
        Review review = composer.compose(plan(List.of(), List.of(), List.of()), List.of());
        assertThat(review.summary()).isEqualTo("""
                ## drep review

                **Nothing to review acme/docs between abc1234..def5678: no changed file needed analysis.**
                """);
        assertThat(review.counts()).containsEntry(Severity.ERROR, 0).containsEntry(Severity.WARNING, 0)
                .containsEntry(Severity.INFO, 0);

        Review onlyDeletions = composer.compose(plan(List.of(), List.of(), List.of("a.md")), List.of());
        assertThat(onlyDeletions.summary()).contains("no changed file needed analysis (1 file deleted).");
        assertThat(onlyDeletions.deleted()).containsExactly("a.md");
    }

    @Test
    void everyFileSkippedIsNotNothingToReview() {
        Review review = composer.compose(plan(List.of(), List.of(new NotAnalyzed("logo.png", "binary file")), List.of()),
                List.of());
        assertThat(review.summary())
                .contains("**drep reviewed acme/docs between abc1234..def5678: no findings**")
                .contains("1 file could not be analysed; review it by hand:\n\n- `logo.png`: binary file\n");
    }

    @Test
    void rangeWithoutBaseAndWithShortRevisions() {
        JobPlan noBase = new JobPlan("j", "r", null, HEAD, List.of("u"), List.of(), List.of(), null);
        assertThat(composer.compose(noBase, List.of()).summary()).contains("**drep reviewed r at def5678: no findings**");
        JobPlan symbolic = new JobPlan("j", "", "main", "feature/x", List.of("u"), List.of(), List.of(), null);
        assertThat(composer.compose(symbolic, List.of()).summary())
                .contains("**drep reviewed between main..feature/x: no findings**");
    }
}
