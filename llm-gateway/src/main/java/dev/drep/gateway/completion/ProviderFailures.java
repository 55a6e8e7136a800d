package dev.drep.gateway.completion;

import dev.drep.gateway.error.GatewayException;
import dev.drep.gateway.provider.ProviderResult;

/** Decides which HTTP answer a provider failure becomes. */
final class ProviderFailures {

    private ProviderFailures() {
    }

    /**
     * @param failure the provider's failure (its message is already free of secrets)
     * @param alias   the alias the client asked for
     * @return the exception to answer with
     */
    static GatewayException toException(ProviderResult.Failed failure, String alias) {
        String said = failure.message().endsWith(".")
                ? failure.message().substring(0, failure.message().length() - 1)
                : failure.message();
        String message = said + " (model alias '" + alias + "').";
        return switch (failure.kind()) {
            // 503: nothing answered at all; clients may retry later.
            case UNREACHABLE -> new GatewayException(503, GatewayException.API_ERROR, null, "provider_unavailable", message);
            case TIMEOUT -> new GatewayException(504, GatewayException.TIMEOUT, null, "provider_timeout", message);
            // Passed on as 429 so OpenAI clients back off as they would for OpenAI itself.
            case RATE_LIMITED -> new GatewayException(429, GatewayException.RATE_LIMIT, null, "provider_rate_limited", message);
            // The gateway's configuration is at fault, not the client: 502.
            case AUTHENTICATION -> new GatewayException(502, GatewayException.API_ERROR, null, "provider_authentication_failed", message);
            case MODEL_NOT_FOUND -> new GatewayException(502, GatewayException.API_ERROR, "model", "provider_model_not_found", message);
            case REJECTED -> new GatewayException(400, GatewayException.INVALID_REQUEST, null, "provider_rejected_request", message);
            case PROVIDER_ERROR -> new GatewayException(502, GatewayException.API_ERROR, null, "provider_error", message);
            case BAD_RESPONSE -> new GatewayException(502, GatewayException.API_ERROR, null, "provider_bad_response", message);
        };
    }
}
