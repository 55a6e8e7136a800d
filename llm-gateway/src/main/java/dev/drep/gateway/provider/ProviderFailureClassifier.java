package dev.drep.gateway.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Says why a call to one provider has no answer, a call over the OpenAI wire: an
 * exception or an HTTP refusal becomes a {@link FailureKind} with a message a user can act on (the provider's own
 * error text, its API key redacted).
 */
final class ProviderFailureClassifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest piece of a provider's own error text passed on to clients. */
    private static final int MAX_PROVIDER_TEXT = 500;

    private final ProviderEndpoint endpoint;

    /** @param endpoint the provider whose failures these are */
    ProviderFailureClassifier(ProviderEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    ProviderResult.Failed classify(Throwable e, String model) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            // Before the timeout check: a connect timeout (a ConnectException) means unreachable.
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof UnresolvedAddressException) {
                return new ProviderResult.Failed(FailureKind.UNREACHABLE, "The LLM provider at "
                        + endpoint.displayUrl() + " cannot be reached (" + t.getClass().getSimpleName() + ").");
            }
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof SocketTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return timeout();
            }
            if (t instanceof JsonProcessingException) {
                return new ProviderResult.Failed(FailureKind.BAD_RESPONSE,
                        "The LLM provider answered with something that is not an OpenAI chat completion.");
            }
        }
        return new ProviderResult.Failed(FailureKind.PROVIDER_ERROR,
                "The LLM provider failed without an answer (" + e.getClass().getSimpleName() + ").");
    }

    private ProviderResult.Failed timeout() {
        return new ProviderResult.Failed(FailureKind.TIMEOUT,
                "The LLM provider did not answer within " + endpoint.timeout().toSeconds() + " s.");
    }

    ProviderResult.Failed fromStatus(int status, String body, String model) {
        String said = providerText(body);
        if (status == 429) {
            return new ProviderResult.Failed(FailureKind.RATE_LIMITED,
                    "The LLM provider is rate limiting the gateway (HTTP 429)" + said);
        }
        if (status == 401 || status == 403) {
            return new ProviderResult.Failed(FailureKind.AUTHENTICATION, "The LLM provider refused the gateway's "
                    + "credentials (HTTP " + status + "); check drep.gateway.provider.api-key" + said);
        }
        if (status == 404) {
            return new ProviderResult.Failed(FailureKind.MODEL_NOT_FOUND, "The LLM provider does not know model '"
                    + model + "' or the base URL is wrong (HTTP 404)" + said);
        }
        if (status >= 400 && status < 500) {
            return new ProviderResult.Failed(FailureKind.REJECTED,
                    "The LLM provider rejected the request (HTTP " + status + ")" + said);
        }
        return new ProviderResult.Failed(FailureKind.PROVIDER_ERROR,
                "The LLM provider failed (HTTP " + status + ")" + said);
    }

    /** @return ": <what the provider said>." with the API key redacted, or "." when it said nothing useful */
    private String providerText(String body) {
        if (body == null || body.isBlank()) {
            return ".";
        }
        String text = body;
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            if (message.isTextual()) {
                text = message.asText();
            }
        } catch (JsonProcessingException notJson) {
            text = body;
        }
        text = endpoint.redact(text.strip());
        if (text.length() > MAX_PROVIDER_TEXT) {
            text = text.substring(0, MAX_PROVIDER_TEXT) + "...";
        }
        return ": " + text;
    }
}
