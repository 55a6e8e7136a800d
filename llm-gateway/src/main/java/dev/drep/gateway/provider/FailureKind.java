package dev.drep.gateway.provider;

/** Why a provider call failed, in terms the gateway acts on (answer status, later retry and fallback). */
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
    BAD_RESPONSE
}
