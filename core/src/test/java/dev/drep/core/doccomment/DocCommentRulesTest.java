package dev.drep.core.doccomment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.LineRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocCommentRulesTest {

    private static List<DocIssue> issues(SourceLanguage language, String content, LineRange... changed) {
        FileToAnalyze file = new FileToAnalyze("f", "sha", content, List.of(changed));
        return DocCommentRules.check(((ParsedSource.Parsed) DeclarationParser.of(language).parse(content)).declarations(),
                file);
    }

    private static final String PYTHON = """
            def long_enough(a):
                x = a + 1
                return x

            def tiny(a): return a

            @property
            def prop(self): return 1

            def documented(a):
                \"\"\"TODO\"\"\"
                return a

            def fine(a):
                \"\"\"Returns the argument unchanged.\"\"\"
                return a
            """;

    @Test
    void missingAndPoorDocumentationOnChangedLines() {
        List<DocIssue> found = issues(SourceLanguage.PYTHON, PYTHON, new LineRange(1, 17));
        assertThat(found).extracting(i -> i.declaration().name(), DocIssue::missing, DocIssue::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("long_enough", true, null),
                        org.assertj.core.groups.Tuple.tuple("prop", true, null),
                        org.assertj.core.groups.Tuple.tuple("documented", false, "a placeholder (TODO)"));
    }

    @Test
    void declarationsOutsideTheChangedLinesAreNotReported() {
        assertThat(issues(SourceLanguage.PYTHON, PYTHON, new LineRange(2, 3), new LineRange(16, 16))).isEmpty();
        assertThat(issues(SourceLanguage.PYTHON, PYTHON, new LineRange(11, 11)))
                .extracting(i -> i.declaration().name()).containsExactly("documented");
    }

    @Test
    void poorTextIsRecognised() {
        assertThat(DocCommentRules.poorness("Short.")).isEqualTo("too short (6 characters)");
        assertThat(DocCommentRules.poorness("FIXME: explain the retry policy")).isEqualTo("a placeholder (FIXME)");
        assertThat(DocCommentRules.poorness("Lorem ipsum dolor sit amet")).isEqualTo("a placeholder (\"lorem ipsum\")");
        assertThat(DocCommentRules.poorness("Computes the area of the rectangle.")).isNull();
    }
}
