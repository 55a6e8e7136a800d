package dev.drep.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(4),
            Duration.ofSeconds(30));

    @Test
    void theWaitDoublesWithHalfOfItRandom() {
        assertThat(policy.backoff(1, () -> 0.0)).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.backoff(1, () -> 0.999999)).isBetween(Duration.ofMillis(499), Duration.ofMillis(500));
        assertThat(policy.backoff(2, () -> 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoff(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theWaitIsCapped() {
        assertThat(policy.backoff(4, () -> 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(60, () -> 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(60, () -> 0.999999)).isLessThanOrEqualTo(Duration.ofSeconds(4));
    }
}
