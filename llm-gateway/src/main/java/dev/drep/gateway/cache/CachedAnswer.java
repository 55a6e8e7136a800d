package dev.drep.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A completion as the cache keeps it.
 *
 * @param alias            the alias that produced it (the answer's {@code model})
 * @param content          the answer text, or {@code null}
 * @param finishReason     OpenAI's {@code finish_reason}, or {@code null}
 * @param promptTokens     the provider's reported prompt tokens, or {@code null} when it reported none
 * @param completionTokens the reported completion tokens, or {@code null}
 * @param totalTokens      the reported total tokens, or {@code null}
 * @param choices          OpenAI's {@code choices} when the answer was more than one text choice (tool calls,
 *                         {@code n > 1}, a streamed answer assembled), else {@code null}
 */
public record CachedAnswer(String alias, String content, String finishReason, Integer promptTokens,
        Integer completionTokens, Integer totalTokens, JsonNode choices) {

    /** A text answer. */
    public CachedAnswer(String alias, String content, String finishReason, Integer promptTokens,
            Integer completionTokens, Integer totalTokens) {
        this(alias, content, finishReason, promptTokens, completionTokens, totalTokens, null);
    }
}
