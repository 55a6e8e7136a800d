package dev.drep.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderEndpointTest {

    private static final String KEY = "sk-test-0123456789";

    @Test
    void neverPrintsItsKeyOrUrlCredentials() {
        ProviderEndpoint endpoint = new ProviderEndpoint("p", "http://user:pw@llm.local:8000/v1", Optional.of(KEY),
                Duration.ofSeconds(30));

        assertThat(endpoint.toString()).doesNotContain(KEY, "user:pw").contains("apiKey=***", "***@llm.local:8000");
        assertThat(endpoint.displayUrl()).isEqualTo("http://***@llm.local:8000/v1");
    }

    @Test
    void redactsEveryOccurrenceOfTheKey() {
        ProviderEndpoint endpoint = new ProviderEndpoint("p", "http://x/v1", Optional.of(KEY), Duration.ofSeconds(1));

        assertThat(endpoint.redact("key " + KEY + " again " + KEY)).isEqualTo("key *** again ***");
        assertThat(new ProviderEndpoint("p", "http://x/v1", Optional.empty(), Duration.ofSeconds(1)).redact("a b"))
                .isEqualTo("a b");
    }

    @Test
    void aBlankKeyCountsAsNone() {
        assertThat(new ProviderEndpoint("p", "http://x/v1", Optional.of(" "), Duration.ofSeconds(1)).apiKey()).isEmpty();
    }

    @Test
    void theTimeoutIsWholeSecondsAndAtLeastOne() {
        assertThat(new ProviderEndpoint("p", "http://x/v1", Optional.empty(), Duration.ofMillis(10)).timeout())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(new ProviderEndpoint("p", "http://x/v1", Optional.empty(), Duration.ofMillis(2500)).timeout())
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void rejectsAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> new ProviderEndpoint("p", "localhost:11434", Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> new ProviderEndpoint("p", "http://bad host/v1", Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid URL");
    }
}
