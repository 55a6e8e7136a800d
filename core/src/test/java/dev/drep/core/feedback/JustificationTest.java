package dev.drep.core.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JustificationTest {

    @Test
    void aPlainReplySayingTheCodeIsMeantToBeSoIsAJustification() {
        for (String reply : new String[] {"This is intentional: the cache is per request.",
                "False positive, the value can't be null here (checked in the constructor).",
                "Not a bug. We want the trailing spaces for markdown line breaks.",
                "That's fine, it's already handled by the caller", "By design — see ADR 12.",
                "Works as expected; the timeout is on our side."}) {
            assertThat(Justification.of(reply)).as(reply).hasValueSatisfying(j -> {
                assertThat(j.explicit()).isFalse();
                assertThat(j.reason()).isEqualTo(reply);
            });
        }
    }

    @Test
    void thanksQuestionsAndFixesAreNotJustifications() {
        for (String reply : new String[] {"Good catch, thanks!", "Why is this a problem?", "Fixed in the next commit.",
                "You're right, will fix. It was intentional at first but is not needed anymore.", "ok", "",
                "> this is intentional\n\nReally? I doubt it.", "Someone wrote `intentional` in the code"}) {
            assertThat(Justification.of(reply)).as(reply).isEmpty();
        }
    }

    @Test
    void theExplicitFormNeedsAReasonAndOtherCommandsAreNotJustifications() {
        assertThat(Justification.of("/drep justified the header must stay first for the parser"))
                .contains(new Justification("the header must stay first for the parser", true));
        assertThat(Justification.of("Hmm.\n\n/DREP justify the API wants it")).get()
                .extracting(Justification::reason).isEqualTo("the API wants it");
        assertThat(Justification.of("/drep justified")).isEmpty();
        assertThat(Justification.of("/drep review\n\nthis is intentional")).isEmpty();
        assertThat(Justification.of("```\n/drep justified because\n```")).isEmpty();
    }
}
