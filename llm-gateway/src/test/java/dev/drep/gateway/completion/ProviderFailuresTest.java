package dev.drep.gateway.completion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.gateway.error.GatewayException;
import dev.drep.gateway.provider.FailureKind;
import dev.drep.gateway.provider.ProviderResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderFailuresTest {

    @ParameterizedTest
    @CsvSource({
            "UNREACHABLE, 503, api_error, provider_unavailable",
            "TIMEOUT, 504, timeout_error, provider_timeout",
            "RATE_LIMITED, 429, rate_limit_error, provider_rate_limited",
            "AUTHENTICATION, 502, api_error, provider_authentication_failed",
            "MODEL_NOT_FOUND, 502, api_error, provider_model_not_found",
            "REJECTED, 400, invalid_request_error, provider_rejected_request",
            "PROVIDER_ERROR, 502, api_error, provider_error",
            "BAD_RESPONSE, 502, api_error, provider_bad_response"})
    void eachFailureKindHasItsAnswer(FailureKind kind, int status, String type, String code) {
        GatewayException e = ProviderFailures.toException(new ProviderResult.Failed(kind, "It broke."), "fast");

        assertThat(e.status()).isEqualTo(status);
        assertThat(e.toError().error().type()).isEqualTo(type);
        assertThat(e.toError().error().code()).isEqualTo(code);
        assertThat(e.getMessage()).isEqualTo("It broke (model alias 'fast').");
    }
}
