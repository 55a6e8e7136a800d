package dev.drep.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FindingTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aFindingOnOneLineEndsOnThatLine() {
        assertThat(new Finding("md.tab", "a.md", 4, Severity.INFO, "tab", "a b").endLine()).isEqualTo(4);
        assertThat(new Finding("md.tab", "a.md", 4, Severity.INFO, "tab", "a b", "a\tb").endLine()).isEqualTo(4);
        assertThat(new Finding("md.tab", "a.md", 4, Severity.INFO, "tab", "a b").multiLine()).isFalse();
        assertThat(new Finding("x.whole-file", "a.md", 0, Severity.INFO, "whole file", null).endLine()).isZero();
    }

    @Test
    void aSuggestionCanReplaceARangeOfLines() {
        Finding finding = new Finding("doc.poor", "A.java", 3, Severity.INFO, "poor", "/** Adds. */").withEndLine(5);
        assertThat(finding.line()).isEqualTo(3);
        assertThat(finding.endLine()).isEqualTo(5);
        assertThat(finding.multiLine()).isTrue();
        assertThat(finding.withLineText("    /**").endLine()).as("the line text keeps the range").isEqualTo(5);
        assertThat(finding.withLineText("    /**").lineText()).isEqualTo("    /**");
        assertThat(finding.withEndLine(0).endLine()).as("0 means the finding's own line").isEqualTo(3);
    }

    @Test
    void aRangeEndingBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> new Finding("doc.poor", "A.java", 3, Severity.INFO, "poor", null).withEndLine(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3").hasMessageContaining("2");
    }

    @Test
    void locationNamesTheRangeForPeople() {
        Finding one = new Finding("md.tab", "docs/a.md", 4, Severity.INFO, "tab", null);
        assertThat(one.location()).isEqualTo("docs/a.md:4");
        assertThat(one.withEndLine(6).location()).isEqualTo("docs/a.md:4-6");
        assertThat(new Finding("x.whole-file", "docs/a.md", 0, Severity.INFO, "m", null).location()).isEqualTo("docs/a.md");
    }

    @Test
    void jsonCarriesTheEndLineAndJsonWithoutItStillReads() throws Exception {
        Finding range = new Finding("doc.poor", "A.java", 3, Severity.INFO, "poor", "/** Adds. */", "/**").withEndLine(5);
        String json = mapper.writeValueAsString(range);
        assertThat(mapper.readTree(json).path("endLine").asInt()).isEqualTo(5);
        assertThat(mapper.readTree(json).has("multiLine")).isFalse();
        assertThat(mapper.readTree(json).has("location")).isFalse();
        assertThat(mapper.readValue(json, Finding.class)).isEqualTo(range);

        Finding old = mapper.readValue("""
                {"rule":"md.tab","path":"a.md","line":7,"severity":"INFO","message":"m","suggestion":"x","lineText":"\\t"}
                """, Finding.class);
        assertThat(old).isEqualTo(new Finding("md.tab", "a.md", 7, Severity.INFO, "m", "x", "\t"));
        assertThat(old.endLine()).isEqualTo(7);
    }
}
