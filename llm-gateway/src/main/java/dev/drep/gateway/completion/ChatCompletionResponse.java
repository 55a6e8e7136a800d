package dev.drep.gateway.completion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of {@code POST /v1/chat/completions}, in OpenAI's non-streaming format.
 *
 * @param id      the completion id
 * @param object  always {@code chat.completion}
 * @param created when the answer was made, in Unix seconds
 * @param model   the alias the client requested
 * @param choices the choices: one {@link Choice} for a text answer, or the provider's own {@code choices} as it
 *                sent them (tool calls, {@code n > 1}, log probabilities)
 * @param usage   token usage as the provider reported it; left out when it reported none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionResponse(String id, String object, long created, String model, List<?> choices,
        Usage usage) {

    /**
     * @param index        0
     * @param message      the answer
     * @param finishReason why the model stopped, e.g. {@code stop} or {@code length}
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Choice(int index, Message message, @JsonProperty("finish_reason") String finishReason) {
    }

    /**
     * @param role    always {@code assistant}
     * @param content the answer text
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Message(String role, String content) {
    }

    /**
     * @param promptTokens     tokens of the request
     * @param completionTokens tokens of the answer
     * @param totalTokens      their sum, as the provider reported it
     */
    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("total_tokens") int totalTokens) {
    }
}
