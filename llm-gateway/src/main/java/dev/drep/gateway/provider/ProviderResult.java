package dev.drep.gateway.provider;

/** The outcome of a provider call: never an exception, so callers must decide what a failure means. */
public sealed interface ProviderResult {

    /**
     * The provider answered.
     *
     * @param id           the provider's completion id, or {@code null}
     * @param content      the answer text, or {@code null} when the provider sent none
     * @param finishReason OpenAI's {@code finish_reason} ({@code stop}, {@code length}, ...), or {@code null}
     * @param usage        token usage, or {@code null} when the provider reported none
     */
    record Completed(String id, String content, String finishReason, TokenCounts usage) implements ProviderResult {
    }

    /**
     * The call failed.
     *
     * @param kind    what went wrong
     * @param message for a person; free of secrets (the API key is redacted from anything the provider said)
     */
    record Failed(FailureKind kind, String message) implements ProviderResult {
    }
}
