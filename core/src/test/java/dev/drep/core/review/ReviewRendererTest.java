package dev.drep.core.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drep.contracts.Finding;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewRendererTest {

    private final ReviewRenderer renderer = new ReviewRenderer();

    static Review sampleReview() {
        return new Review("job-7", "acme/docs", "abc1234", "def5678", "## drep review\n\nSummary text.\n",
                Map.of(Severity.ERROR, 1, Severity.WARNING, 1, Severity.INFO, 2),
                List.of(
                        new Finding("md.trailing-whitespace", "docs/guide.md", 3, Severity.INFO,
                                "line ends with 2 whitespace characters: remove them", "Some text."),
                        new Finding("md.unbalanced-brackets", "docs/guide.md", 8, Severity.WARNING,
                                "'[' at column 5 is never closed", null),
                        new Finding("llm.bug", "src/Main.java", 12, Severity.ERROR,
                                "possible null dereference\nof `config`", "if (config != null) {"),
                        new Finding("md.tab", "src/Main.java", 12, Severity.INFO, "tab", "")),
                List.of(new NotAnalyzed("img/logo.png", "binary file")),
                List.of("old.md"));
    }

    // ---- JSON ----

    @Test
    void jsonRoundTrips() {
        Review review = sampleReview();
        assertThat(renderer.fromJson(renderer.toJson(review))).isEqualTo(review);
    }

    @Test
    void droppedFindingsRoundTripAfterTheUsageAndAReviewWrittenWithoutThemReadsAsNone() {
        Review sample = sampleReview();
        Review review = new Review(sample.jobId(), sample.repository(), sample.base(), sample.head(), sample.summary(),
                sample.counts(), sample.findings(), sample.notAnalyzed(), sample.deleted(), sample.summaryFindings(),
                sample.notes(), sample.usage(), java.util.Map.of("quote_not_found", 2, "no_quote", 1));
        String json = renderer.toJson(review);
        assertThat(json).containsSubsequence("\"usage\"", "\"droppedFindings\" : {", "\"no_quote\" : 1",
                "\"quote_not_found\" : 2");
        assertThat(renderer.fromJson(json)).isEqualTo(review);
        assertThat(renderer.fromJson(renderer.toJson(sample)).droppedFindings()).isEmpty();
        assertThat(renderer.fromJson("{\"jobId\":\"j\",\"findings\":[]}").droppedFindings()).isEmpty();
    }

    @Test
    void jsonHasAStableFieldOrderAndLfLineEndings() {
        String json = renderer.toJson(sampleReview());
        assertThat(json).doesNotContain("\r").endsWith("}\n").startsWith("{\n  \"jobId\" : \"job-7\",\n");
        assertThat(json).containsSubsequence("\"jobId\"", "\"repository\"", "\"base\"", "\"head\"", "\"summary\"",
                "\"counts\"", "\"findings\"", "\"notAnalyzed\"", "\"deleted\"");
        assertThat(json).containsSubsequence("\"INFO\" : 2", "\"WARNING\" : 1", "\"ERROR\" : 1");
        assertThat(json).containsSubsequence("\"rule\"", "\"path\"", "\"line\"", "\"severity\"", "\"message\"",
                "\"suggestion\"");
        assertThat(json).containsSubsequence("\"path\" : \"img/logo.png\"", "\"reason\" : \"binary file\"");
        // Same review, same bytes: the counts map's own iteration order must not leak into the file.
        assertThat(renderer.toJson(renderer.fromJson(json))).isEqualTo(json);
    }

    @Test
    void jsonFromANewerDrepWithUnknownFieldsIsRead() {
        Review read = renderer.fromJson("""
                {"jobId":"j","repository":"r","base":"a","head":"b","summary":"s","counts":{"INFO":1},
                 "findings":[{"rule":"md.tab","path":"a.md","line":1,"severity":"INFO","message":"m","suggestion":null,
                   "reviewedBy":"model-x"}],
                 "notAnalyzed":[{"path":"x","reason":"y","since":"2.0"}],"deleted":[],"reviewer":"drep 2"}
                """);
        assertThat(read.findings()).containsExactly(new Finding("md.tab", "a.md", 1, Severity.INFO, "m", null));
        assertThat(read.notAnalyzed()).containsExactly(new NotAnalyzed("x", "y"));
    }

    @Test
    void fromJsonRejectsWhatIsNotAReview() {
        assertThatThrownBy(() -> renderer.fromJson("[1, 2]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a drep review");
    }

    // ---- markdown ----

    @Test
    void markdownHasTheSummaryThenFindingsGroupedByFile() {
        assertThat(renderer.toMarkdown(sampleReview())).isEqualTo("""
                ## drep review

                Summary text.

                ## Findings

                ### `docs/guide.md`

                - **info** `docs/guide.md:3` `md.trailing-whitespace`: line ends with 2 whitespace characters: remove them

                  ```suggestion
                  Some text.
                  ```

                - **warning** `docs/guide.md:8` `md.unbalanced-brackets`: '[' at column 5 is never closed

                ### `src/Main.java`

                - **error** `src/Main.java:12` `llm.bug`: possible null dereference
                  of `config`

                  ```suggestion
                  if (config != null) {
                  ```

                - **info** `src/Main.java:12` `md.tab`: tab

                  ```suggestion

                  ```
                """);
    }

    @Test
    void markdownWithoutFindingsSaysSo() {
        Review review = new Review("j", "r", "a", "b", "## drep review\n\n**no findings**\n", Map.of(), List.of(),
                List.of(), List.of());
        assertThat(renderer.toMarkdown(review)).isEqualTo("## drep review\n\n**no findings**\n\n## Findings\n\nNo findings.\n");
    }

    @Test
    void markdownSuggestionContainingAFenceGetsALongerFence() {
        Review review = new Review("j", "r", "a", "b", "s\n", Map.of(),
                List.of(new Finding("llm.style", "README.md", 4, Severity.INFO, "m", "```java")), List.of(), List.of());
        assertThat(renderer.toMarkdown(review)).contains("  ````suggestion\n  ```java\n  ````\n");
    }

    @Test
    void aSuggestionReplacingSeveralLinesNamesTheRange() {
        Finding range = new Finding("doc.poor", "src/Calc.java", 5, Severity.INFO,
                "The documentation of the public method `add` is a placeholder (TODO).",
                "    /**\n     * Adds two numbers.\n     */").withEndLine(7);
        Review review = new Review("j", "r", "a", "b", "s\n", Map.of(Severity.INFO, 1), List.of(range), List.of(),
                List.of());

        assertThat(renderer.toMarkdown(review)).endsWith("""
                ### `src/Calc.java`

                - **info** `src/Calc.java:5-7` `doc.poor`: The documentation of the public method `add` is a placeholder (TODO).

                  ```suggestion
                      /**
                       * Adds two numbers.
                       */
                  ```
                """);
        String json = renderer.toJson(review);
        assertThat(json).contains("\"line\" : 5,\n      \"endLine\" : 7,");
        assertThat(renderer.fromJson(json).findings()).containsExactly(range);
    }

    @Test
    void jsonOfAnOlderDrepWithoutEndLinesReadsAsOneLineFindings() {
        Review read = renderer.fromJson("""
                {"jobId":"j","repository":"r","base":"a","head":"b","summary":"s","counts":{"INFO":1},
                 "findings":[{"rule":"md.tab","path":"a.md","line":4,"severity":"INFO","message":"m","suggestion":"x"}],
                 "notAnalyzed":[],"deleted":[]}
                """);
        assertThat(read.findings().get(0).endLine()).isEqualTo(4);
        assertThat(read.findings().get(0).multiLine()).isFalse();
    }

    // ---- SARIF URIs ----

    @Test
    void pathsBecomeRelativeUriReferences() {
        assertThat(ReviewRenderer.relativeUri("docs/guide.md")).isEqualTo("docs/guide.md");
        assertThat(ReviewRenderer.relativeUri("docs/my guide.md")).isEqualTo("docs/my%20guide.md");
        assertThat(ReviewRenderer.relativeUri("docs/100%.md")).isEqualTo("docs/100%25.md");
        assertThat(ReviewRenderer.relativeUri("docs/ü.md")).isEqualTo("docs/%C3%BC.md");
        assertThat(ReviewRenderer.relativeUri("docs/a#b?.md")).isEqualTo("docs/a%23b%3F.md");
        assertThat(ReviewRenderer.relativeUri("c:notes.md")).isEqualTo("c%3Anotes.md");
        assertThat(ReviewRenderer.relativeUri("a:b/c:d.md")).isEqualTo("a%3Ab/c:d.md");
    }
}
