package dev.drep.publisher.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Finding;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.OnIncomplete;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.Review;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.platform.CommitState;
import dev.drep.publisher.posting.FindingFingerprints;
import dev.drep.publisher.posting.Publication;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReviewVerdictTest {
    private static final NotAnalyzed BINARY = new NotAnalyzed("logo.png", "binary file");

    private static Publication publication(PublishSettings settings, List<Finding> inline, List<Finding> summary,
            List<NotAnalyzed> notAnalyzed, Set<String> received) {
        JobPlan plan = new JobPlan("j", "repo", "a", "b", List.of("u1", "u2"), List.of(BINARY), List.of(),
                ReviewTarget.local("/tmp/x"), settings, List.of(), List.of());
        Review review = new Review("j", "repo", "a", "b", "summary", null, inline, notAnalyzed, List.of(), summary,
                List.of(), null);
        return new Publication("j", Instant.now(), 0, plan, review, received);
    }

    private static Finding finding(Severity severity) {
        return new Finding("r", "a.md", 1, severity, "m", null);
    }

    @Test
    void filesTheScannerSkippedOnPurposeDoNotFailTheStatus() {
        ReviewVerdict verdict = ReviewVerdict.of(publication(null, List.of(finding(Severity.WARNING)), List.of(),
                List.of(BINARY), Set.of("u1", "u2")));
        assertThat(verdict.state()).isEqualTo(CommitState.SUCCESS);
        assertThat(verdict.description()).isEqualTo("no findings at or above error");
        assertThat(verdict.incomplete()).isFalse();
    }

    @Test
    void whatAnAnalyzerCouldNotAnalyseFailsTheStatusEvenWithoutFindings() {
        ReviewVerdict verdict = ReviewVerdict.of(publication(null, List.of(), List.of(),
                List.of(BINARY, new NotAnalyzed("a.md", "not analyzed: LLM quota exhausted"),
                        new NotAnalyzed("a.md", "not analyzed: provider unavailable")), Set.of("u1", "u2")));
        assertThat(verdict.state()).isEqualTo(CommitState.FAILURE);
        assertThat(verdict.incomplete()).isTrue();
        assertThat(verdict.description()).isEqualTo("incomplete review: 1 file could not be analysed: a.md");
        assertThat(verdict.notAnalysed()).containsExactly("a.md");
    }

    @Test
    void onIncompleteNeutralMakesAnIncompleteReviewNeutralNeverSuccess() {
        PublishSettings neutral = new PublishSettings(Severity.INFO, 50, Severity.ERROR, OnIncomplete.NEUTRAL);
        ReviewVerdict incomplete = ReviewVerdict.of(publication(neutral, List.of(), List.of(),
                List.of(new NotAnalyzed("b.md", "not analyzed: LLM budget exhausted"),
                        new NotAnalyzed("a.md", "not analyzed: LLM budget exhausted")), Set.of("u1", "u2")));
        assertThat(incomplete.state()).isEqualTo(CommitState.NEUTRAL);
        assertThat(incomplete.description()).isEqualTo("incomplete review: 2 files could not be analysed: a.md, b.md");
        ReviewVerdict complete = ReviewVerdict.of(publication(neutral, List.of(finding(Severity.ERROR)), List.of(),
                List.of(), Set.of("u1", "u2")));
        assertThat(complete.state()).as("findings still fail the check").isEqualTo(CommitState.FAILURE);
    }

    @Test
    void aLongListOfFilesIsCutToTheStatusDescriptionsLimit() {
        List<NotAnalyzed> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(new NotAnalyzed("docs/chapter-" + i + ".md", "not analyzed: LLM budget exhausted"));
        }
        ReviewVerdict verdict = ReviewVerdict.of(publication(null, List.of(), List.of(), many, Set.of("u1", "u2")));
        assertThat(verdict.description()).hasSize(140).startsWith("incomplete review: 40 files could not be analysed: ")
                .endsWith("…");
        assertThat(verdict.notAnalysed()).hasSize(40);
    }

    @Test
    void aUnitWithoutResultFailsTheStatus() {
        ReviewVerdict verdict = ReviewVerdict.of(publication(null, List.of(), List.of(), List.of(), Set.of("u1")));
        assertThat(verdict.state()).isEqualTo(CommitState.FAILURE);
        assertThat(verdict.description()).isEqualTo("incomplete review: 1 work unit sent no result");
    }

    @Test
    void findingsAtOrAboveFailOnFailTheStatusWhereverTheyAre() {
        PublishSettings failOnWarning = new PublishSettings(Severity.ERROR, 5, Severity.WARNING);
        ReviewVerdict verdict = ReviewVerdict.of(publication(failOnWarning, List.of(finding(Severity.INFO)),
                List.of(finding(Severity.WARNING), finding(Severity.ERROR)), List.of(), Set.of("u1", "u2")));
        assertThat(verdict.state()).isEqualTo(CommitState.FAILURE);
        assertThat(verdict.description()).isEqualTo("2 findings at or above warning");
        assertThat(verdict.incomplete()).isFalse();
    }

    @Test
    void anErrorJustifiedOnThePullRequestNoLongerFailsTheStatusWhileAnotherErrorStillDoes() {
        Finding justified = new Finding("r", "a.md", 1, Severity.ERROR, "m", null);
        Finding other = new Finding("r2", "b.md", 2, Severity.ERROR, "n", null);
        String fingerprint = FindingFingerprints.of(List.of(justified, other)).get(0).fingerprint();

        ReviewVerdict alone = ReviewVerdict.of(publication(null, List.of(justified), List.of(), List.of(),
                Set.of("u1", "u2")), Set.of(fingerprint));
        ReviewVerdict both = ReviewVerdict.of(publication(null, List.of(justified, other), List.of(), List.of(),
                Set.of("u1", "u2")), Set.of(fingerprint));
        ReviewVerdict unjustified = ReviewVerdict.of(publication(null, List.of(justified), List.of(), List.of(),
                Set.of("u1", "u2")));

        assertThat(alone.state()).isEqualTo(CommitState.SUCCESS);
        assertThat(alone.description()).isEqualTo("no findings at or above error (1 justified, not counted)");
        assertThat(both.state()).isEqualTo(CommitState.FAILURE);
        assertThat(both.description()).isEqualTo("1 finding at or above error (1 justified, not counted)");
        assertThat(unjustified.state()).isEqualTo(CommitState.FAILURE);
    }
}
