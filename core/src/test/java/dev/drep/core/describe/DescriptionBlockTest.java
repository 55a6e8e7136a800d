package dev.drep.core.describe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DescriptionBlockTest {
    private static final String BLOCK = DescriptionBlock.block("### Walkthrough\n\nNew text.");
    private static final String OLD = DescriptionBlock.block("### Walkthrough\n\nOld text.");

    @Test
    void theFirstTimeTheWalkthroughIsAddedAtTheEndAndTheAuthorsTextIsKeptByteForByte() {
        String author = "Fixes #12.\r\n\n  Tested by hand.  ";
        DescriptionBlock.Spliced spliced = DescriptionBlock.splice(author, BLOCK);

        assertThat(spliced.body()).isEqualTo(author + "\n\n" + BLOCK);
        assertThat(spliced.damaged()).isNull();
    }

    @Test
    void anEmptyDescriptionBecomesTheWalkthrough() {
        assertThat(DescriptionBlock.splice(null, BLOCK).body()).isEqualTo(BLOCK);
        assertThat(DescriptionBlock.splice("", BLOCK).body()).isEqualTo(BLOCK);
    }

    @Test
    void onALaterPushOnlyTheTextBetweenTheMarkersIsReplaced() {
        String body = "Intro by the author.\n\n" + OLD + "\n\nA line the author added after it.";
        DescriptionBlock.Spliced spliced = DescriptionBlock.splice(body, BLOCK);

        assertThat(spliced.body()).isEqualTo("Intro by the author.\n\n" + BLOCK + "\n\nA line the author added after it.");
        assertThat(spliced.damaged()).isNull();
    }

    @Test
    void splicingTheSameWalkthroughAgainChangesNothing() {
        String once = DescriptionBlock.splice("Intro.", BLOCK).body();
        assertThat(DescriptionBlock.splice(once, BLOCK).body()).isEqualTo(once);
    }

    @Test
    void anOpeningMarkerWithoutItsEndIsRemovedAloneAndNothingTheAuthorWroteIsLost() {
        String body = "Intro.\n" + DescriptionBlock.START + "\n### Walkthrough\nOld text, then the author's own line.";
        DescriptionBlock.Spliced spliced = DescriptionBlock.splice(body, BLOCK);

        assertThat(spliced.body()).isEqualTo("Intro.\n\n### Walkthrough\nOld text, then the author's own line.\n\n"
                + BLOCK);
        assertThat(spliced.damaged()).contains("1 marker without its partner");
        // the result is well formed: the next push replaces the block in place
        assertThat(DescriptionBlock.splice(spliced.body(), BLOCK).damaged()).isNull();
    }

    @Test
    void aClosingMarkerAloneIsRemovedAlone() {
        String body = "Intro.\n" + DescriptionBlock.END + "\nMore.";
        DescriptionBlock.Spliced spliced = DescriptionBlock.splice(body, BLOCK);

        assertThat(spliced.body()).isEqualTo("Intro.\n\nMore.\n\n" + BLOCK);
        assertThat(spliced.damaged()).isNotNull();
    }

    @Test
    void markersTwiceKeepTheFirstPlaceAndDropTheCopyWithItsText() {
        String body = "A.\n" + OLD + "\nB.\n" + OLD + "\nC.";
        DescriptionBlock.Spliced spliced = DescriptionBlock.splice(body, BLOCK);

        assertThat(spliced.body()).isEqualTo("A.\n" + BLOCK + "\nB.\n\nC.");
        assertThat(spliced.damaged()).contains("2 pairs");
    }

    @Test
    void aClosingMarkerBeforeTheOpeningOneIsTwoStrays() {
        String body = "A " + DescriptionBlock.END + " B " + DescriptionBlock.START + " C";
        DescriptionBlock.Spliced spliced = DescriptionBlock.splice(body, BLOCK);

        assertThat(spliced.body()).isEqualTo("A  B  C\n\n" + BLOCK);
        assertThat(spliced.damaged()).contains("2 markers without");
    }
}
