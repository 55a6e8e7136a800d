package dev.drep.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.gateway.resilience.AdaptiveConcurrencyLimiter.Signal;
import dev.drep.gateway.resilience.AdaptiveConcurrencyLimiter.Slot;
import dev.drep.gateway.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AdaptiveConcurrencyLimiterTest {

    private final ManualTicker ticker = new ManualTicker();
    private final AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(8, ticker);

    private List<Slot> take(int n) {
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<Slot> slot = limiter.acquire();
            assertThat(slot).isCompleted();
            slots.add(slot.join());
        }
        return slots;
    }

    @Test
    void aBurstOf429sHalvesTheLimitOnce() {
        List<Slot> slots = take(8);

        slots.forEach(slot -> slot.release(Signal.RATE_LIMITED));

        assertThat(limiter.limit()).isEqualTo(4);
    }

    @Test
    void repeated429RoundsGoDownToOneAndNoFurther() {
        for (int round = 0; round < 6; round++) {
            take(1).get(0).release(Signal.RATE_LIMITED);
        }
        assertThat(limiter.limit()).isEqualTo(1);
    }

    @Test
    void successesRaiseTheLimitBackGradually() {
        take(1).get(0).release(Signal.RATE_LIMITED);
        take(1).get(0).release(Signal.RATE_LIMITED);
        assertThat(limiter.limit()).isEqualTo(2);

        take(1).get(0).release(Signal.SUCCESS);
        take(1).get(0).release(Signal.SUCCESS);
        assertThat(limiter.limit()).as("about one more per round of calls").isEqualTo(2);
        for (int i = 0; i < 100; i++) {
            take(1).get(0).release(Signal.SUCCESS);
        }
        assertThat(limiter.limit()).as("never above the maximum").isEqualTo(8);
    }

    @Test
    void callsBeyondTheLimitWaitAndGoWhenOneFinishes() {
        take(1).get(0).release(Signal.RATE_LIMITED);
        List<Slot> running = take(4);
        CompletableFuture<Slot> waiting = limiter.acquire();

        assertThat(waiting).isNotDone();
        assertThat(limiter.waiting()).isEqualTo(1);
        running.get(0).release(Signal.IGNORE);
        assertThat(waiting).isCompleted();
    }

    @Test
    void withoutAPauseNoneRemains() {
        assertThat(limiter.pauseRemaining()).isZero();
        limiter.pauseFor(Duration.ofSeconds(1));
        ticker.advance(Duration.ofSeconds(2));
        assertThat(limiter.pauseRemaining()).isZero();
    }

    @Test
    void aPauseHoldsEveryNewCallUntilItEnds() {
        limiter.pauseFor(Duration.ofSeconds(3));
        CompletableFuture<Slot> waiting = limiter.acquire();

        ticker.advance(Duration.ofMillis(2999));
        assertThat(waiting).isNotDone();
        assertThat(limiter.pauseRemaining()).isEqualTo(Duration.ofMillis(1));
        ticker.advance(Duration.ofMillis(1));
        assertThat(waiting).isCompleted();
    }

    @Test
    void aCancelledWaiterIsForgotten() {
        List<Slot> running = take(8);
        CompletableFuture<Slot> gaveUp = limiter.acquire();
        gaveUp.cancel(false);

        running.get(0).release(Signal.SUCCESS);

        assertThat(limiter.waiting()).isZero();
        assertThat(limiter.inFlight()).isEqualTo(7);
    }
}
