package dev.drep.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static Optional<Duration> waitFor(Map<String, String> headers) {
        return RateLimitHeaders.requestedWait(name -> headers.entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null), NOW);
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertThat(waitFor(Map.of("Retry-After", "7"))).contains(Duration.ofSeconds(7));
        assertThat(waitFor(Map.of("Retry-After", "Sun, 01 Mar 2026 12:00:30 GMT"))).contains(Duration.ofSeconds(30));
        assertThat(waitFor(Map.of("Retry-After", "soon"))).isEmpty();
    }

    @Test
    void retryAfterMilliseconds() {
        assertThat(waitFor(Map.of("retry-after-ms", "1500"))).contains(Duration.ofMillis(1500));
    }

    @Test
    void anExhaustedRateLimitWaitsForItsReset() {
        assertThat(waitFor(Map.of("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "6m0s")))
                .contains(Duration.ofMinutes(6));
        assertThat(waitFor(Map.of("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "1.5s")))
                .contains(Duration.ofMillis(1500));
        assertThat(waitFor(Map.of("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "250ms")))
                .contains(Duration.ofMillis(250));
        assertThat(waitFor(Map.of("x-ratelimit-remaining-requests", "12", "x-ratelimit-reset-requests", "6m0s")))
                .isEmpty();
    }

    @Test
    void theLongestRequestWins() {
        assertThat(waitFor(Map.of("Retry-After", "2", "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "1h2m3s"))).contains(Duration.ofSeconds(3723));
    }

    @Test
    void resetDurationsThatAreNotDurationsAreIgnored() {
        assertThat(RateLimitHeaders.resetDuration("2x")).isNull();
        assertThat(RateLimitHeaders.resetDuration("1s garbage")).isNull();
        assertThat(RateLimitHeaders.resetDuration("20")).isEqualTo(Duration.ofSeconds(20));
    }
}
