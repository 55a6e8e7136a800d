package dev.drep.publisher.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.mutiny.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class PlatformHttpTest {

    private static MultiMap headers(String... pairs) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            map.add(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void retryAfterInSecondsOrAsADateSaysWhenToSendAgain() {
        Instant at = PlatformHttp.rateLimitReset(429, headers("Retry-After", "7"));
        assertThat(Duration.between(Instant.now(), at)).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(7));

        Instant date = Instant.now().plusSeconds(120).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String httpDate = DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atZone(ZoneOffset.UTC));
        assertThat(PlatformHttp.rateLimitReset(403, headers("Retry-After", httpDate))).isEqualTo(date);
    }

    @Test
    void anExhaustedPrimaryLimitWaitsForItsReset() {
        long reset = Instant.now().getEpochSecond() + 30;
        assertThat(PlatformHttp.rateLimitReset(403, headers("X-RateLimit-Remaining", "0", "X-RateLimit-Reset",
                String.valueOf(reset)))).isEqualTo(Instant.ofEpochSecond(reset + 1));
        // GitLab's names
        assertThat(PlatformHttp.rateLimitReset(429, headers("RateLimit-Remaining", "0", "RateLimit-Reset",
                String.valueOf(reset)))).isEqualTo(Instant.ofEpochSecond(reset + 1));
    }

    @Test
    void aForbiddenAnswerWithoutRateLimitHeadersIsNotARateLimit() {
        assertThat(PlatformHttp.rateLimitReset(403, headers("X-RateLimit-Remaining", "4999"))).isNull();
        assertThat(PlatformHttp.rateLimitReset(500, headers("Retry-After", "3"))).isNull();
        assertThat(PlatformHttp.rateLimitReset(429, headers())).isAfter(Instant.now().plusSeconds(50));
    }

    @Test
    void theTokenIsScrubbedFromText() {
        assertThat(PlatformHttp.scrub("Bad credentials: s3cret (s3cret)", "s3cret")).isEqualTo("Bad credentials: *** (***)");
        assertThat(PlatformHttp.scrub("nothing here", "")).isEqualTo("nothing here");
    }

    @Test
    void theTargetNeverPrintsItsToken() {
        PlatformTarget target = new PlatformTarget(new dev.drep.contracts.PullRequestRef("github", "https://api.github.com",
                "acme/docs", null, 3, "a", null, "b", "bot"), "s3cret", Duration.ZERO, Duration.ofSeconds(1));
        assertThat(target.toString()).doesNotContain("s3cret").contains("acme/docs#3");
    }

    @Test
    void tokenReferencesMapToTheirEnvironmentVariables() {
        assertThat(TokenResolver.envName("gitea-main")).isEqualTo("DREP_SECRETS_GITEA_MAIN");
        assertThat(TokenResolver.envName("github.app")).isEqualTo("DREP_SECRETS_GITHUB_APP");
    }
}
