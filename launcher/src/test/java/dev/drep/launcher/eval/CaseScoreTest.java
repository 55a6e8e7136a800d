package dev.drep.launcher.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Finding;
import dev.drep.contracts.Severity;
import dev.drep.contracts.UnitUsage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaseScoreTest {
    private static final EvalCase SEEDED = new EvalCase("seeded", "t", "java",
            List.of(new EvalCase.Problem("A.java", 10, "bug"), new EvalCase.Problem("A.java", 30, "leak")), Path.of("x"));
    private static final EvalCase CLEAN = new EvalCase("clean", "t", "java", List.of(), Path.of("y"));

    @Test
    void aFindingWithinTwoLinesOfAProblemFindsIt() {
        CaseScore score = CaseScore.score(SEEDED, List.of(at("A.java", 12), at("A.java", 27)), UnitUsage.NONE, Map.of());

        assertThat(score.found()).isEqualTo(1);
        assertThat(score.falseFindings()).extracting(CaseScore.Reported::line).containsExactly(27);
        assertThat(score.missed()).extracting(EvalCase.Problem::line).containsExactly(30);
    }

    @Test
    void aFindingWhoseRangeHoldsTheProblemFindsIt() {
        Finding range = new Finding("llm.bug", "A.java", 20, 29, Severity.ERROR, "m", null, null);

        assertThat(CaseScore.score(SEEDED, List.of(range), UnitUsage.NONE, Map.of()).found()).isEqualTo(1);
    }

    @Test
    void aSecondFindingOnTheSameProblemIsNoise() {
        CaseScore score = CaseScore.score(SEEDED, List.of(at("A.java", 10), at("A.java", 11)), UnitUsage.NONE, Map.of());

        assertThat(score.found()).isEqualTo(1);
        assertThat(score.falseFindings()).extracting(CaseScore.Reported::line).containsExactly(11);
    }

    @Test
    void theSameLineOfAnotherFileAndAWholeFileFindingFindNothing() {
        Finding wholeFile = new Finding("md.x", "A.java", 0, Severity.INFO, "m", null);

        CaseScore score = CaseScore.score(SEEDED, List.of(at("B.java", 10), wholeFile), UnitUsage.NONE, Map.of());

        assertThat(score.found()).isZero();
        assertThat(score.missed()).hasSize(2);
    }

    @Test
    void everyFindingOnACleanCaseIsFalse() {
        CaseScore score = CaseScore.score(CLEAN, List.of(at("C.java", 3)), new UnitUsage(2, 0, 100, 20, 0.5), Map.of());

        assertThat(score.falseFindings()).hasSize(1);
        assertThat(score.tokens()).isEqualTo(120);
    }

    @Test
    void theReportComputesPrecisionRecallF1AndNoise() {
        CaseScore seeded = CaseScore.score(SEEDED, List.of(at("A.java", 10), at("A.java", 50)), new UnitUsage(1, 0, 300, 100, 0.02), Map.of("quote_not_found", 2));
        CaseScore clean = CaseScore.score(CLEAN, List.of(at("C.java", 3), at("C.java", 4)), new UnitUsage(1, 0, 100, 0, 0.0), Map.of("quote_not_found", 1, "line_not_in_file", 1));

        EvalReport.Totals totals = EvalReport.of(List.of(seeded, clean)).totals();

        assertThat(totals.precision()).isEqualTo(0.25);
        assertThat(totals.recall()).isEqualTo(0.5);
        assertThat(totals.f1()).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(totals.noise()).isEqualTo(2.0);
        assertThat(totals.tokensPerCase()).isEqualTo(250.0);
        assertThat(totals.costPerCase()).isEqualTo(0.01);
        assertThat(totals.droppedFindings()).containsExactlyInAnyOrderEntriesOf(Map.of("quote_not_found", 3, "line_not_in_file", 1));
    }

    @Test
    void theReportSeparatesWhatGroundingAndTheVerifierDroppedAndWhatTheVerifierCost() {
        CaseScore seeded = CaseScore.score(SEEDED, List.of(at("A.java", 10)), new UnitUsage(2, 0, 900, 100, 0, 200),
                Map.of("quote_not_found", 2, "refuted", 1));
        CaseScore clean = CaseScore.score(CLEAN, List.of(), new UnitUsage(2, 0, 700, 100, 0, 200),
                Map.of("line_not_in_file", 1, "refuted", 1, "unconfirmed", 1));

        EvalReport report = EvalReport.of(List.of(seeded, clean));
        EvalReport.Totals totals = report.totals();

        assertThat(seeded.droppedByGrounding()).isEqualTo(2);
        assertThat(seeded.droppedByVerifier()).isEqualTo(1);
        assertThat(totals.droppedByGrounding()).isEqualTo(3);
        assertThat(totals.droppedByVerifier()).isEqualTo(3);
        assertThat(totals.verifyTokensPerCase()).isEqualTo(200.0);
        // 400 verifier tokens over the 1,400 the reviews cost without them
        assertThat(totals.verifyTokenShare()).isCloseTo(400.0 / 1400, org.assertj.core.data.Offset.offset(1e-9));
        java.io.StringWriter table = new java.io.StringWriter();
        report.print(new java.io.PrintWriter(table));
        assertThat(table.toString()).contains("grounding verifier folded")
                .contains("by stage: grounding dropped 3, the verifier dropped 3 and folded 0 as low confidence")
                .contains("verifier: 200 tokens per pull request, +29 % over the review without it");
    }

    @Test
    void aReportWithoutFindingsHasNoPrecisionRatherThanAMadeUpOne() {
        EvalReport.Totals totals = EvalReport.of(List.of(CaseScore.score(SEEDED, List.of(), UnitUsage.NONE, Map.of()))).totals();

        assertThat(totals.precision()).isNull();
        assertThat(totals.recall()).isEqualTo(0.0);
        assertThat(totals.f1()).isNull();
    }

    private static Finding at(String path, int line) {
        return new Finding("llm.bug", path, line, Severity.WARNING, "message", null);
    }
}
