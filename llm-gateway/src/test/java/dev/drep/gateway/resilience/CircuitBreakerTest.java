package dev.drep.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.gateway.time.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final ManualTicker ticker = new ManualTicker();
    private final CircuitBreaker breaker = new CircuitBreaker(5, Duration.ofSeconds(60), ticker);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breaker.tryAcquire()).isNull();
            breaker.onFailure();
        }
    }

    @Test
    void opensAfterFiveConsecutiveFailures() {
        fail(4);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        fail(1);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquire()).isEqualTo(Duration.ofSeconds(60));
        ticker.advance(Duration.ofSeconds(20));
        assertThat(breaker.tryAcquire()).isEqualTo(Duration.ofSeconds(40));
        assertThat(breaker.retryAfter()).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void aSuccessResetsTheCount() {
        fail(4);
        assertThat(breaker.tryAcquire()).isNull();
        breaker.onSuccess();
        fail(4);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void afterTheOpenPeriodOneTrialDecides() {
        fail(5);
        ticker.advance(Duration.ofSeconds(60));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).as("the trial").isNull();
        assertThat(breaker.tryAcquire()).as("a second call during the trial").isNotNull();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        ticker.advance(Duration.ofSeconds(60));
        assertThat(breaker.tryAcquire()).isNull();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isNull();
    }

    @Test
    void aTrialThatNeverReportsDoesNotWedgeTheBreaker() {
        fail(5);
        ticker.advance(Duration.ofSeconds(60));
        assertThat(breaker.tryAcquire()).isNull();

        ticker.advance(Duration.ofSeconds(60));

        assertThat(breaker.tryAcquire()).isNull();
    }
}
