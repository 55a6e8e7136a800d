package dev.drep.core.doccomment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.core.llm.SourceLines;
import org.junit.jupiter.api.Test;

class DocCommentFormatterTest {

    private static Declaration declaration(int start, int headerEnd, int bodyStart, String indent, String bodyIndent,
            Declaration.DocComment doc) {
        return new Declaration(Declaration.Kind.METHOD, "m", start, headerEnd, start + 3, bodyStart, false, doc, indent,
                bodyIndent);
    }

    @Test
    void javaMissingDocGoesAboveTheFirstLine() {
        SourceLines lines = SourceLines.of("class A {\n    @Deprecated\n    public void m() {\n    }\n}\n");
        DocIssue issue = new DocIssue(declaration(2, 3, 3, "    ", "", null), true, null);
        assertThat(DocCommentFormatter.anchor(SourceLanguage.JAVA, issue)).isEqualTo(2);
        assertThat(DocCommentFormatter.suggestion(SourceLanguage.JAVA, issue, lines, "/** Does m.\n@param none */"))
                .isEqualTo("    /**\n     * Does m.\n     * @param none\n     */\n    @Deprecated");
    }

    @Test
    void pythonMissingDocstringGoesBelowTheHeader() {
        SourceLines lines = SourceLines.of("def f(a,\n      b):\n    return a\n");
        DocIssue issue = new DocIssue(declaration(1, 2, 3, "", "    ", null), true, null);
        assertThat(DocCommentFormatter.anchor(SourceLanguage.PYTHON, issue)).isEqualTo(2);
        assertThat(DocCommentFormatter.suggestion(SourceLanguage.PYTHON, issue, lines,
                "Adds.\n\nArgs:\n    a: first"))
                .isEqualTo("      b):\n    \"\"\"Adds.\n\n    Args:\n        a: first\n    \"\"\"");
    }

    @Test
    void aPoorCommentIsReplacedWhateverNumberOfLinesItSpans() {
        SourceLines lines = SourceLines.of("// TODO\nfunc F() {\n}\n/*\n * TODO\n */\nfunc G() {\n}\n");
        DocIssue oneLine = new DocIssue(declaration(2, 2, 2, "", "",
                new Declaration.DocComment("TODO", 1, 1)), false, "a placeholder (TODO)");
        assertThat(DocCommentFormatter.suggestion(SourceLanguage.GO, oneLine, lines, "F frobs.\nTwice."))
                .isEqualTo("// F frobs.\n// Twice.");
        assertThat(DocCommentFormatter.endLine(SourceLanguage.GO, oneLine)).isEqualTo(1);
        DocIssue multi = new DocIssue(declaration(7, 7, 7, "", "",
                new Declaration.DocComment("TODO", 4, 6)), false, "a placeholder (TODO)");
        assertThat(DocCommentFormatter.anchor(SourceLanguage.GO, multi)).isEqualTo(4);
        assertThat(DocCommentFormatter.endLine(SourceLanguage.GO, multi)).isEqualTo(6);
        assertThat(DocCommentFormatter.suggestion(SourceLanguage.GO, multi, lines, "G frobs.")).isEqualTo("// G frobs.");
    }

    @Test
    void aMissingCommentReplacesOnlyTheAnchorLine() {
        DocIssue issue = new DocIssue(declaration(2, 3, 3, "    ", "", null), true, null);
        assertThat(DocCommentFormatter.endLine(SourceLanguage.JAVA, issue)).isEqualTo(2);
    }

    @Test
    void aCommentSharingALineWithCodeCannotBeReplaced() {
        SourceLines java = SourceLines.of("class A {\n    /**\n     * TODO\n     */ public void m() {\n    }\n}\n");
        DocIssue javaIssue = new DocIssue(declaration(4, 4, 4, "    ", "", new Declaration.DocComment("TODO", 2, 4)), false,
                "a placeholder (TODO)");
        assertThat(DocCommentFormatter.suggestion(SourceLanguage.JAVA, javaIssue, java, "Does m.")).isNull();

        SourceLines go = SourceLines.of("var x = 1 /* TODO\n more */\nfunc F() {\n}\n");
        DocIssue goIssue = new DocIssue(declaration(3, 3, 3, "", "", new Declaration.DocComment("TODO more", 1, 2)), false,
                "a placeholder (TODO)");
        assertThat(DocCommentFormatter.suggestion(SourceLanguage.GO, goIssue, go, "F frobs.")).isNull();

        SourceLines python = SourceLines.of("def f(a):\n    \"\"\"TODO\n    later\"\"\"; a += 1\n    return a\n");
        DocIssue pythonIssue = new DocIssue(declaration(1, 1, 2, "", "    ", new Declaration.DocComment("TODO later", 2, 3)),
                false, "a placeholder (TODO)");
        assertThat(DocCommentFormatter.suggestion(SourceLanguage.PYTHON, pythonIssue, python, "Returns a.")).isNull();
    }

    @Test
    void aRangeLongerThanPlatformsCanReplaceIsNotSuggested() {
        StringBuilder source = new StringBuilder("/**\n");
        for (int i = 0; i < DocCommentFormatter.MAX_RANGE_LINES; i++) {
            source.append(" * TODO line ").append(i).append('\n');
        }
        source.append(" */\nfunction f() {\n}\n");
        int end = DocCommentFormatter.MAX_RANGE_LINES + 2;
        DocIssue issue = new DocIssue(declaration(end + 1, end + 1, end + 1, "", "",
                new Declaration.DocComment("TODO", 1, end)), false, "a placeholder (TODO)");
        assertThat(DocCommentFormatter.suggestion(SourceLanguage.JAVASCRIPT, issue, SourceLines.of(source.toString()),
                "Does f.")).isNull();
    }

    @Test
    void modelMarkupIsCleaned() {
        assertThat(DocCommentFormatter.clean("```\n\"\"\"Sums values.\"\"\"\n```")).isEqualTo("Sums values.");
        assertThat(DocCommentFormatter.clean("// Area computes.\n// More.")).isEqualTo("Area computes.\nMore.");
        assertThat(DocCommentFormatter.docstring("say \"\"\"hi\"\"\"", "  ")).isEqualTo("  \"\"\"say \\\"\\\"\\\"hi\\\"\\\"\\\"\"\"\"");
    }
}
