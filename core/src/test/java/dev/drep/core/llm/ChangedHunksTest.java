package dev.drep.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.LineRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangedHunksTest {

    @Test
    void hunksAddContextAndMergeWhenTheyTouch() {
        List<LineRange> hunks = ChangedHunks.around(List.of(new LineRange(19, 21), new LineRange(5, 5),
                new LineRange(12, 12)), 3, 100);
        assertThat(hunks).containsExactly(new LineRange(2, 24));
        assertThat(ChangedHunks.around(List.of(new LineRange(5, 5), new LineRange(20, 20)), 3, 100))
                .containsExactly(new LineRange(2, 8), new LineRange(17, 23));
        assertThat(ChangedHunks.around(List.of(new LineRange(5, 5), new LineRange(30, 30)), 3, 31))
                .containsExactly(new LineRange(2, 8), new LineRange(27, 31));
    }

    @Test
    void rangesBeyondTheFileAreClipped() {
        assertThat(ChangedHunks.around(List.of(new LineRange(9, 40)), 2, 10)).containsExactly(new LineRange(7, 10));
        assertThat(ChangedHunks.around(List.of(new LineRange(50, 60)), 2, 10)).isEmpty();
    }

    @Test
    void renderingNumbersLinesWithNewFileNumbersAndMarksChanges() {
        SourceLines lines = SourceLines.of("a\nb\r\nc\n");
        assertThat(lines.count()).isEqualTo(3);
        String text = ChangedHunks.render(lines, new LineRange(1, 3), n -> n == 2);
        assertThat(text).isEqualTo("1 | a\n2+| b\n3 | c\n");
    }
}
