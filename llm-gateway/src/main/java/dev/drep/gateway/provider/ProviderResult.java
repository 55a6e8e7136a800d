package dev.drep.gateway.provider;

import com.fasterxml.jackson.databind.JsonNode;

/** The outcome of a provider call: never an exception, so callers must decide what a failure means. */
public sealed interface ProviderResult {

    /**
     * The provider answered.
     *
     * @param id           the provider's completion id, or {@code null}
     * @param content      the answer text, or {@code null} when the provider sent none
     * @param finishReason OpenAI's {@code finish_reason} ({@code stop}, {@code length}, ...), or {@code null}
     * @param usage        token usage, or {@code null} when the provider reported none
     * @param choices      the provider's {@code choices} exactly as it sent them (tool calls, several choices,
     *                     logprobs), or {@code null} when the answer is the one text choice above
     * @param stream       for a streamed request, the answer's events still to come; {@code null} otherwise. Then
     *                     {@code content}, {@code finishReason} and {@code usage} are {@code null}: they are known
     *                     only when the stream ends.
     */
    record Completed(String id, String content, String finishReason, TokenCounts usage, JsonNode choices,
            ProviderStream stream) implements ProviderResult {

        /** A text answer. */
        public Completed(String id, String content, String finishReason, TokenCounts usage) {
            this(id, content, finishReason, usage, null, null);
        }
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
