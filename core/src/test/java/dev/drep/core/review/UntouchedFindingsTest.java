package dev.drep.core.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Finding;
import dev.drep.contracts.LineEdit;
import dev.drep.contracts.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class UntouchedFindingsTest {
    private static final Finding ON_10_TO_12 = new Finding("r", "a.java", 10, 12, Severity.WARNING, "m", null, "x");

    @Test
    void aFindingWhoseLinesWereReplacedOrDeletedIsNotKept() {
        assertThat(UntouchedFindings.moved(ON_10_TO_12, List.of(new LineEdit(11, 1, 11, 1)))).isEmpty();
        assertThat(UntouchedFindings.moved(ON_10_TO_12, List.of(new LineEdit(5, 6, 5, 0)))).isEmpty();
        assertThat(UntouchedFindings.moved(ON_10_TO_12, List.of(LineEdit.WHOLE_FILE))).isEmpty();
    }

    @Test
    void anInsertionRightNextToItTouchesIt() {
        // a null check added right after line 12, or right before line 10
        assertThat(UntouchedFindings.moved(ON_10_TO_12, List.of(new LineEdit(13, 0, 13, 2)))).isEmpty();
        assertThat(UntouchedFindings.moved(ON_10_TO_12, List.of(new LineEdit(10, 0, 10, 1)))).isEmpty();
    }

    @Test
    void editsElsewhereKeepItMovedByTheLinesAddedAboveIt() {
        List<LineEdit> edits = List.of(new LineEdit(2, 1, 2, 4), new LineEdit(6, 2, 9, 0), new LineEdit(30, 1, 31, 1));

        Finding moved = UntouchedFindings.moved(ON_10_TO_12, edits).orElseThrow();

        assertThat(moved.line()).isEqualTo(11);
        assertThat(moved.endLine()).isEqualTo(13);
        assertThat(moved.lineText()).isEqualTo("x");
        assertThat(UntouchedFindings.moved(ON_10_TO_12, List.of(new LineEdit(20, 3, 20, 0)))).contains(ON_10_TO_12);
    }
}
