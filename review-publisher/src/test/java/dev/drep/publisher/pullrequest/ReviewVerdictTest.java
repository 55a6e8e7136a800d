package dev.drep.publisher.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Finding;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.Review;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.Severity;
import dev.drep.publisher.platform.CommitState;
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
        assertThat(verdict.description()).isEqualTo("incomplete review: 1 file could not be analysed");
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
}
