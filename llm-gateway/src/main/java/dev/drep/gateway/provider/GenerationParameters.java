package dev.drep.gateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The sampling and output options of a chat completion, as OpenAI names them; {@code null} means
 * "not sent", so the provider's own default applies.
 *
 * @param temperature         {@code temperature}
 * @param topP                {@code top_p}
 * @param maxTokens           {@code max_tokens}
 * @param maxCompletionTokens {@code max_completion_tokens}
 * @param stop                {@code stop} sequences (empty for none)
 * @param presencePenalty     {@code presence_penalty}
 * @param frequencyPenalty    {@code frequency_penalty}
 * @param seed                {@code seed}
 * @param jsonObject          whether {@code response_format} is {@code {"type":"json_object"}}
 * @param user                {@code user}, the end-user id OpenAI uses for abuse monitoring
 * @param passThrough         the fields forwarded to the provider exactly as the client sent them ({@code tools},
 *                            {@code tool_choice}, {@code parallel_tool_calls}, {@code response_format} of type
 *                            {@code json_schema}, {@code n}, {@code logprobs}, {@code top_logprobs}), in the order
 *                            the parser reads them; empty for none
 */
public record GenerationParameters(
        Double temperature,
        Double topP,
        Integer maxTokens,
        Integer maxCompletionTokens,
        List<String> stop,
        Double presencePenalty,
        Double frequencyPenalty,
        Integer seed,
        boolean jsonObject,
        String user,
        ObjectNode passThrough) {

    public GenerationParameters {
        stop = stop == null ? List.of() : List.copyOf(stop);
        passThrough = passThrough == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : passThrough.deepCopy();
    }

    /** The options of a text completion, without pass-through fields. */
    public GenerationParameters(Double temperature, Double topP, Integer maxTokens, Integer maxCompletionTokens,
            List<String> stop, Double presencePenalty, Double frequencyPenalty, Integer seed, boolean jsonObject,
            String user) {
        this(temperature, topP, maxTokens, maxCompletionTokens, stop, presencePenalty, frequencyPenalty, seed,
                jsonObject, user, null);
    }

    /** @return the {@code n} the client asked for (choices per request), 1 when it asked none */
    public int choices() {
        return passThrough.path("n").asInt(1);
    }

    /**
     * @param maxOutputTokens the model's most completion tokens
     * @return these parameters when the client capped the answer itself ({@code max_tokens} or
     *         {@code max_completion_tokens}), else the same with {@code max_tokens} set to {@code maxOutputTokens}
     */
    public GenerationParameters cappedAt(int maxOutputTokens) {
        if (maxTokens != null || maxCompletionTokens != null) {
            return this;
        }
        return new GenerationParameters(temperature, topP, maxOutputTokens, null, stop, presencePenalty,
                frequencyPenalty, seed, jsonObject, user, passThrough);
    }

    /** @return parameters that leave every option to the provider */
    public static GenerationParameters none() {
        return new GenerationParameters(null, null, null, null, List.of(), null, null, null, false, null);
    }
}
