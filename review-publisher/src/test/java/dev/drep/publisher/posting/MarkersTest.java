package dev.drep.publisher.posting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkersTest {

    @Test
    void findingMarkersAreFoundAgainInAnyBody() {
        String body = "text\n" + Markers.finding("0123456789abcdef01234567") + "\nmore "
                + Markers.finding("fedcba9876543210fedcba98") + " <!-- drep:finding:NOT-HEX -->";
        assertThat(Markers.findings(body)).containsExactly("0123456789abcdef01234567", "fedcba9876543210fedcba98");
        assertThat(Markers.findings(null)).isEmpty();
    }
}
