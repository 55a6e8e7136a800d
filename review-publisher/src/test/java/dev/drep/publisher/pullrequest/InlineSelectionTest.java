package dev.drep.publisher.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Finding;
import dev.drep.contracts.Severity;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.publisher.posting.FindingFingerprints.Fingerprinted;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The choice of inline comments, without a platform: ranking, caps, the same message folded. */
class InlineSelectionTest {

    @Test
    void theChoiceIsTheSameWhateverTheOrderTheFindingsCameIn() {
        List<Fingerprinted> findings = new ArrayList<>(FindingFingerprints.of(List.of(
                finding("b.md", 2, Severity.WARNING, "x"), finding("a.md", 9, Severity.WARNING, "y"),
                finding("a.md", 3, Severity.WARNING, "z"), finding("c.md", 1, Severity.ERROR, "e"))));
        List<String> first = chosen(InlineSelection.choose(findings, 3, 10, 0, Map.of()));
        Collections.reverse(findings);
        assertThat(chosen(InlineSelection.choose(findings, 3, 10, 0, Map.of()))).isEqualTo(first)
                .containsExactly("c.md:1", "a.md:3", "a.md:9");
    }

    @Test
    void withinASeverityTheFindingsTheVerifierIsSurestOfAreTakenFirst() {
        List<Fingerprinted> findings = FindingFingerprints.of(List.of(
                finding("a.md", 1, Severity.WARNING, "unsure").withConfidence(0.62),
                finding("b.md", 1, Severity.WARNING, "sure").withConfidence(0.97),
                finding("c.md", 1, Severity.WARNING, "a deterministic check"),
                finding("d.md", 1, Severity.ERROR, "unsure but severe").withConfidence(0.61)));

        InlineSelection.Choice choice = InlineSelection.choose(findings, 3, 10, 0, Map.of());

        // severity first; then confidence, a finding no verifier looked at (a deterministic check) counting as certain
        assertThat(chosen(choice)).containsExactly("d.md:1", "c.md:1", "b.md:1");
        assertThat(choice.overReview()).extracting(f -> f.finding().location()).containsExactly("a.md:1");
    }

    @Test
    void commentsAnEarlierTryOfTheJobPostedCountAgainstBothCaps() {
        List<Fingerprinted> findings = FindingFingerprints.of(List.of(finding("a.md", 1, Severity.ERROR, "one"),
                finding("a.md", 2, Severity.ERROR, "two"), finding("b.md", 3, Severity.INFO, "three")));

        InlineSelection.Choice choice = InlineSelection.choose(findings, 3, 2, 1, Map.of("a.md", 1));

        assertThat(chosen(choice)).containsExactly("a.md:1", "b.md:3");
        assertThat(choice.overFile()).extracting(f -> f.finding().location()).containsExactly("a.md:2");
        assertThat(choice.overReview()).isEmpty();
    }

    @Test
    void aFoldedGroupCountsAsOneCommentAndGoesToTheSummaryWhole() {
        List<Fingerprinted> findings = FindingFingerprints.of(List.of(finding("a.md", 5, Severity.WARNING, "Same  thing"),
                finding("a.md", 1, Severity.WARNING, "same thing"), finding("a.md", 9, Severity.WARNING, "same thing"),
                finding("b.md", 1, Severity.ERROR, "other")));

        InlineSelection.Choice choice = InlineSelection.choose(findings, 1, 10, 0, Map.of());

        assertThat(chosen(choice)).containsExactly("b.md:1");
        assertThat(choice.overReview()).extracting(f -> f.finding().location()).containsExactly("a.md:1", "a.md:5", "a.md:9");
        InlineSelection.Choice roomy = InlineSelection.choose(findings, 2, 10, 0, Map.of());
        assertThat(roomy.comments().get(1).sameMessage()).extracting(f -> f.finding().line()).containsExactly(5, 9);
    }

    private static Finding finding(String path, int line, Severity severity, String message) {
        return new Finding("md.rule", path, line, severity, message, null, "text " + path + line);
    }

    private static List<String> chosen(InlineSelection.Choice choice) {
        return choice.comments().stream().map(c -> c.first().finding().location()).toList();
    }
}
