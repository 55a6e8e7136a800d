package dev.drep.launcher.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Finding;
import dev.drep.contracts.Review;
import dev.drep.contracts.Severity;
import dev.drep.launcher.ExitCodes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static Review review(Severity... severities) {
        List<Finding> findings = java.util.Arrays.stream(severities)
                .map(s -> new Finding("rule." + s.label(), "a.md", 1, s, "m", null)).toList();
        return new Review("job", "repo", "b", "h", "summary", Map.of(), findings, List.of(), List.of());
    }

    @Test
    void anErrorBlocksAtTheDefaultThreshold() {
        assertThat(Verdict.exitCode(review(Severity.WARNING, Severity.ERROR), Severity.ERROR)).isEqualTo(ExitCodes.FINDINGS);
        assertThat(Verdict.blocking(review(Severity.WARNING, Severity.ERROR), Severity.ERROR)).isEqualTo(1);
    }

    @Test
    void warningsPassAtErrorAndBlockAtWarning() {
        Review warnings = review(Severity.WARNING, Severity.INFO);

        assertThat(Verdict.exitCode(warnings, Severity.ERROR)).isEqualTo(ExitCodes.OK);
        assertThat(Verdict.exitCode(warnings, Severity.WARNING)).isEqualTo(ExitCodes.FINDINGS);
        assertThat(Verdict.blocking(warnings, Severity.INFO)).isEqualTo(2);
    }

    @Test
    void infoBlocksOnlyAtInfo() {
        assertThat(Verdict.exitCode(review(Severity.INFO), Severity.WARNING)).isEqualTo(ExitCodes.OK);
        assertThat(Verdict.exitCode(review(Severity.INFO), Severity.INFO)).isEqualTo(ExitCodes.FINDINGS);
    }

    @Test
    void aCleanReviewPassesEveryThreshold() {
        for (Severity threshold : Severity.values()) {
            assertThat(Verdict.exitCode(review(), threshold)).isEqualTo(ExitCodes.OK);
        }
    }

    @Test
    void countedFindingsBlockEvenWhenNotInline() {
        Review counted = new Review("job", "repo", "b", "h", "s", Map.of(Severity.ERROR, 2, Severity.INFO, 5),
                List.of(), List.of(), List.of());

        assertThat(Verdict.blocking(counted, Severity.ERROR)).isEqualTo(2);
        assertThat(Verdict.blocking(counted, Severity.INFO)).isEqualTo(7);
        assertThat(Verdict.exitCode(counted, Severity.ERROR)).isEqualTo(ExitCodes.FINDINGS);
    }
}
