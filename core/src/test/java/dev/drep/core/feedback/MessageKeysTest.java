package dev.drep.core.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageKeysTest {
    @Test
    void messagesThatDifferInCaseSpacingNumbersCodeSpansAndFinalPunctuationHaveOneKey() {
        String key = MessageKeys.of("Variable `tmp` on line 12 is unused.");

        assertThat(key).isEqualTo("variable `…` on line 0 is unused");
        assertThat(MessageKeys.of("variable  `count` on line 40\nis unused")).isEqualTo(key);
        assertThat(MessageKeys.of("VARIABLE ``a`b`` on line 3.5 is unused!")).isEqualTo(key);
    }

    @Test
    void differentWordsAreDifferentMessages() {
        assertThat(MessageKeys.of("Variable `tmp` is unused")).isNotEqualTo(MessageKeys.of("Variable `tmp` is shadowed"));
    }

    @Test
    void aBlankMessageHasNoKeyAndALongOneIsCut() {
        assertThat(MessageKeys.of(null)).isNull();
        assertThat(MessageKeys.of("  ...  ")).isNull();
        assertThat(MessageKeys.of("word ".repeat(200))).hasSize(MessageKeys.MAX_LENGTH);
    }
}
