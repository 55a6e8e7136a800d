package dev.drep.gateway.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.gateway.provider.GenerationParameters;
import dev.drep.gateway.provider.ProviderMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    @Test
    void fourCharactersPerTokenRoundedUp() {
        assertThat(TokenEstimator.textTokens("")).isZero();
        assertThat(TokenEstimator.textTokens("a")).isEqualTo(1);
        assertThat(TokenEstimator.textTokens("abcd")).isEqualTo(1);
        assertThat(TokenEstimator.textTokens("abcde")).isEqualTo(2);
    }

    @Test
    void promptsAddFramingPerMessage() {
        List<ProviderMessage> messages = List.of(
                new ProviderMessage(ProviderMessage.Role.SYSTEM, "x".repeat(40), null),
                new ProviderMessage(ProviderMessage.Role.USER, "y".repeat(8), "ci"));

        // 3 priming + (4 + 10) + (4 + 2 + 1)
        assertThat(TokenEstimator.promptTokens(messages)).isEqualTo(24);
    }

    @Test
    void theCompletionEstimateIsTheClientsCapOrTheModelsMaximum() {
        GenerationParameters none = GenerationParameters.none();
        assertThat(TokenEstimator.completionTokens(none, 1024)).isEqualTo(1024);
        GenerationParameters maxTokens = new GenerationParameters(null, null, 50, null, null, null, null, null, false, null);
        assertThat(TokenEstimator.completionTokens(maxTokens, 1024)).isEqualTo(50);
        GenerationParameters both = new GenerationParameters(null, null, 50, 70, null, null, null, null, false, null);
        assertThat(TokenEstimator.completionTokens(both, 1024)).isEqualTo(70);
    }

    @Test
    void anUncappedRequestIsCappedAtTheModelsMaximumSoTheEstimateBoundsIt() {
        GenerationParameters none = new GenerationParameters(0.2, null, null, null, List.of("END"), null, null, 7, true,
                "u");
        GenerationParameters capped = none.cappedAt(300);

        assertThat(capped.maxTokens()).isEqualTo(300);
        assertThat(capped).isEqualTo(new GenerationParameters(0.2, null, 300, null, List.of("END"), null, null, 7,
                true, "u"));
        assertThat(TokenEstimator.completionTokens(none, 300)).isEqualTo(capped.maxTokens());
        // the client's own cap is kept as it is, above the model's maximum too
        GenerationParameters own = new GenerationParameters(null, null, 5000, null, null, null, null, null, false, null);
        assertThat(own.cappedAt(300)).isSameAs(own);
        GenerationParameters ownCompletion = new GenerationParameters(null, null, null, 20, null, null, null, null,
                false, null);
        assertThat(ownCompletion.cappedAt(300)).isSameAs(ownCompletion);
    }
}
