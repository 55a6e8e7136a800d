package dev.drep.launcher.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Finding;
import dev.drep.contracts.Severity;
import org.junit.jupiter.api.Test;

class FindingFormatTest {

    @Test
    void aFindingIsPathLineSeverityRuleMessage() {
        Finding finding = new Finding("md.trailing-whitespace", "docs/guide.md", 42, Severity.WARNING,
                "trailing whitespace", "text");

        assertThat(FindingFormat.line(finding)).isEqualTo("docs/guide.md:42: warning [md.trailing-whitespace] trailing whitespace");
    }

    @Test
    void aFindingAboutTheWholeFileHasNoLineNumber() {
        Finding finding = new Finding("md.unclosed-fence", "README.md", 0, Severity.ERROR, "code fence never closed", null);

        assertThat(FindingFormat.line(finding)).isEqualTo("README.md: error [md.unclosed-fence] code fence never closed");
    }

    @Test
    void aMessageOverSeveralLinesStaysOnOne() {
        Finding finding = new Finding("llm.bug", "src/App.java", 7, Severity.INFO,
                "  first line\n  second line\r\nthird  ", null);

        assertThat(FindingFormat.line(finding)).isEqualTo("src/App.java:7: info [llm.bug] first line second line third");
    }
}
