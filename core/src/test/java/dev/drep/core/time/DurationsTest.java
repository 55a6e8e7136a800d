package dev.drep.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void durationsReadAsTheyAreConfigured() {
        assertThat(Durations.describe(Duration.ofMinutes(30))).isEqualTo("30m");
        assertThat(Durations.describe(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.describe(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.describe(Duration.ofSeconds(6))).isEqualTo("6s");
        assertThat(Durations.describe(Duration.ofMillis(1500))).isEqualTo("1s");
        assertThat(Durations.describe(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.describe(Duration.ZERO)).isEqualTo("0s");
    }
}
