package dev.drep.publisher.posting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyLimitTest {

    @Test
    void aBodyWithinTheLimitIsUnchanged() {
        String body = "<!-- drep:summary -->\nall fine\n";
        assertThat(BodyLimit.fit(body, body.length())).isSameAs(body);
    }

    @Test
    void aLongerBodyIsCutAtALineBreakWithANoteSayingHowMuchWasLeftOut() {
        StringBuilder body = new StringBuilder("<!-- drep:summary -->\n");
        for (int i = 0; i < 2000; i++) {
            body.append("- finding number ").append(i).append('\n');
        }
        String cut = BodyLimit.fit(body.toString(), 1000);

        assertThat(cut.length()).isLessThanOrEqualTo(1000);
        assertThat(cut).startsWith("<!-- drep:summary -->\n- finding number 0\n");
        String kept = cut.substring(0, cut.indexOf("\n\n> **Note:**"));
        assertThat(kept).endsWith("\n- finding number " + (kept.split("\n").length - 2));
        int omitted = body.length() - kept.length();
        assertThat(cut).endsWith("limit of 1000 characters; " + omitted + " characters were left out.\n");
    }

    @Test
    void aCodeBlockLeftOpenByTheCutIsClosed() {
        String body = "intro\n\n````suggestion\n" + "a line of code\n".repeat(500) + "````\n";
        String cut = BodyLimit.fit(body, 800);

        assertThat(cut.length()).isLessThanOrEqualTo(800);
        assertThat(BodyLimit.openFence(cut)).isNull();
        assertThat(cut).contains("a line of code\n````\n\n> **Note:**");
    }

    @Test
    void aCutNeverSplitsACharacterOutsideTheBasicPlane() {
        String body = "😀".repeat(1000);
        String cut = BodyLimit.fit(body, 601);
        assertThat(cut.length()).isLessThanOrEqualTo(601);
        assertThat(cut.codePoints().filter(c -> c == 0xFFFD).count()).isZero();
        assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf("\n\n> **Note:**") - 1))).isFalse();
    }

    @Test
    void aTinyLimitIsAHardCut() {
        assertThat(BodyLimit.fit("x".repeat(100), 10)).isEqualTo("x".repeat(10));
    }
}
