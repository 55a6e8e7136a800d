package dev.drep.publisher.posting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Finding;
import dev.drep.contracts.Severity;
import dev.drep.publisher.posting.FindingFingerprints.Fingerprinted;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingFingerprintsTest {

    private static Finding finding(String rule, String path, int line, String message) {
        return new Finding(rule, path, line, Severity.WARNING, message, null);
    }

    private static String fingerprint(Finding finding) {
        return FindingFingerprints.of(List.of(finding)).get(0).fingerprint();
    }

    @Test
    void aFindingKeepsItsFingerprintWhenItsLineAndTheNumbersInItsMessageChange() {
        assertThat(fingerprint(finding("md.line-length", "a.md", 12, "line is 131 characters long (limit 120)")))
                .isEqualTo(fingerprint(finding("md.line-length", "a.md", 40, "Line is  140 characters long (limit 120) ")))
                .hasSize(24).matches("[0-9a-f]+");
    }

    @Test
    void aRewordedFindingOnTheSameLineKeepsItsFingerprintAndAnEditedLineGetsANewOne() {
        Finding first = new Finding("llm.bug", "src/a.py", 12, Severity.WARNING, "Possible null dereference of user",
                null, "    return user.name");
        Finding reworded = new Finding("llm.bug", "src/a.py", 30, Severity.WARNING, "`user` may be None here", null,
                "    return  user.name  ");
        Finding edited = new Finding("llm.bug", "src/a.py", 30, Severity.WARNING, "Possible null dereference of user",
                null, "    return user.full_name");

        assertThat(fingerprint(reworded)).isEqualTo(fingerprint(first));
        assertThat(fingerprint(edited)).isNotEqualTo(fingerprint(first));
        assertThat(fingerprint(first.withLineText(null))).as("without line text the message decides")
                .isNotEqualTo(fingerprint(reworded.withLineText(null)));
    }

    @Test
    void ruleFileAndWordingMakeADifferentFinding() {
        String base = fingerprint(finding("md.tab", "a.md", 1, "tab character"));
        assertThat(fingerprint(finding("md.bare-url", "a.md", 1, "tab character"))).isNotEqualTo(base);
        assertThat(fingerprint(finding("md.tab", "b.md", 1, "tab character"))).isNotEqualTo(base);
        assertThat(fingerprint(finding("md.tab", "a.md", 1, "tab characters"))).isNotEqualTo(base);
    }

    @Test
    void equalFindingsInOneFileAreTellApartByOccurrenceAndSurviveAShift() {
        List<Fingerprinted> before = FindingFingerprints.of(List.of(
                finding("md.trailing-whitespace", "a.md", 7, "trailing whitespace"),
                finding("md.trailing-whitespace", "a.md", 3, "trailing whitespace")));
        List<Fingerprinted> after = FindingFingerprints.of(List.of(
                finding("md.trailing-whitespace", "a.md", 5, "trailing whitespace"),
                finding("md.trailing-whitespace", "a.md", 9, "trailing whitespace")));

        assertThat(before.get(0).fingerprint()).isNotEqualTo(before.get(1).fingerprint());
        // the first by line keeps occurrence 1, whatever the order given
        assertThat(after.get(0).fingerprint()).isEqualTo(before.get(1).fingerprint());
        assertThat(after.get(1).fingerprint()).isEqualTo(before.get(0).fingerprint());
    }
}
