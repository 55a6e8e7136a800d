package dev.drep.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FileToAnalyzeTest {

    private static FileToAnalyze file(String content) {
        return new FileToAnalyze("a.md", "b1", content, List.of(new LineRange(1, 1)));
    }

    @Test
    void lineTextIsTheLineWithoutItsBreakWhateverTheLineEndings() {
        FileToAnalyze file = file("# Title\r\n\nbody text  \nlast");

        assertThat(file.lineText(1)).isEqualTo("# Title");
        assertThat(file.lineText(2)).isEmpty();
        assertThat(file.lineText(3)).isEqualTo("body text  ");
        assertThat(file.lineText(4)).isEqualTo("last");
    }

    @Test
    void thereIsNoTextForLinesOutsideTheFileOrWithoutContent() {
        assertThat(file("one\ntwo\n").lineText(3)).isNull();
        assertThat(file("one\n").lineText(0)).isNull();
        assertThat(file("one\n").lineText(7)).isNull();
        assertThat(file(null).lineText(1)).isNull();
    }

    @Test
    void aRangeIsChangedWhenEveryLineOfItWas() {
        FileToAnalyze file = new FileToAnalyze("A.java", "b", "a\nb\nc\nd\ne\nf\n",
                List.of(new LineRange(1, 2), new LineRange(3, 4), new LineRange(6, 6)));
        assertThat(file.isChanged(1, 4)).as("adjacent ranges of the diff").isTrue();
        assertThat(file.isChanged(3, 3)).isTrue();
        assertThat(file.isChanged(4, 6)).as("line 5 was not changed").isFalse();
        assertThat(file.isChanged(6, 7)).isFalse();
    }
}
