package dev.drep.gateway.provider;

/** Why a provider call failed, in terms the gateway acts on: answer status, retry, fallback, circuit breaking. */
public enum FailureKind {
    /** No connection could be made: provider down, wrong host or port. */
    UNREACHABLE,
    /** The provider did not answer within the configured timeout. */
    TIMEOUT,
    /** HTTP 429: the provider is rate limiting or the quota is used up. */
    RATE_LIMITED,
    /** HTTP 401/403: the provider refused the gateway's credentials. */
    AUTHENTICATION,
    /** HTTP 404: the provider does not know the model (or the base URL is wrong). */
    MODEL_NOT_FOUND,
    /** Another HTTP 4xx: the provider rejected the request itself (e.g. the prompt is too long). */
    REJECTED,
    /** HTTP 5xx, or the connection closed before an answer. */
    PROVIDER_ERROR,
    /** HTTP 2xx whose body is not an OpenAI chat completion. */
    BAD_RESPONSE;

    /**
     * @return whether another attempt, on this model or the next in the fallback chain, may
     *         succeed: 429, 5xx, timeouts and refused connections; never other 4xx (the same
     *         request would be refused again) nor broken answers (the provider did the work)
     */
    public boolean isTransient() {
        return this == RATE_LIMITED || this == PROVIDER_ERROR || this == TIMEOUT || this == UNREACHABLE;
    }

    /**
     * @return whether the failure says the provider is unwell, for its circuit breaker; 429 and
     *         4xx are answers of a working provider and do not count
     */
    public boolean countsAgainstBreaker() {
        return this == PROVIDER_ERROR || this == TIMEOUT || this == UNREACHABLE || this == BAD_RESPONSE;
    }

    /**
     * @return whether the provider may have done (and billed) the work although the gateway has no
     *         usage for it: the call timed out, or the answer could not be read
     */
    public boolean mayHaveConsumedTokens() {
        return this == TIMEOUT || this == BAD_RESPONSE;
    }
}
