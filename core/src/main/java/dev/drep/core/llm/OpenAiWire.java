package dev.drep.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * OpenAI's chat-completion wire format, as the LLM gateway speaks it: the request body drep sends
 * and the parts of the answer it reads.
 */
public final class OpenAiWire {
    /** Request header naming the repository under review. */
    public static final String REPOSITORY_HEADER = "X-Drep-Repository";
    /** Request header naming the job. */
    public static final String JOB_HEADER = "X-Drep-Job";
    /** Request header: {@code interactive} or {@code batch}. */
    public static final String PRIORITY_HEADER = "X-Drep-Priority";
    /** Request header: the task class the gateway routes to a model. */
    public static final String TASK_CLASS_HEADER = "X-Drep-Task-Class";
    /** Response header of the gateway: {@code hit} when the answer came from its response cache. */
    public static final String CACHE_HEADER = "X-Drep-Cache";
    /** Response header with the cost of the call, when the gateway reports one. */
    public static final String COST_HEADER = "X-Drep-Cost";
    /** Response header: how long the gateway held the request before admitting it, in milliseconds. */
    public static final String QUEUE_WAIT_HEADER = "X-Drep-Queue-Wait-Ms";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiWire() {
    }

    /**
     * @param request  the completion
     * @param model    the gateway alias, e.g. {@code default} (the gateway picks the model of the task class)
     * @param jsonMode whether to ask for {@code response_format: json_object} (not every provider supports it)
     * @return the JSON body of {@code POST /v1/chat/completions}
     */
    public static String requestBody(ChatRequest request, String model, boolean jsonMode) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        // Reviews should be reproducible: the same content gives the same findings, which is also
        // what makes the gateway's and the analyzer's caches honest.
        body.put("temperature", 0);
        body.put("max_tokens", request.maxTokens());
        if (jsonMode) {
            body.putObject("response_format").put("type", "json_object");
        }
        return body.toString();
    }

    /**
     * Reads a successful chat-completion body.
     *
     * @param body     the response body
     * @param cacheHit whether the gateway said it answered from its cache
     * @param cost     the reported cost, 0 if none
     * @return the answer, or empty when the body is not a chat completion with text content
     */
    public static Optional<ChatOutcome.Answer> readAnswer(String body, boolean cacheHit, double cost) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        JsonNode choice = root.path("choices").path(0);
        JsonNode content = choice.path("message").path("content");
        if (!content.isTextual()) {
            return Optional.empty();
        }
        JsonNode usage = root.path("usage");
        JsonNode model = root.path("model");
        return Optional.of(new ChatOutcome.Answer(content.asText(), choice.path("finish_reason").asText(null),
                usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0), cost, cacheHit, 0,
                model.isTextual() && !model.asText().isBlank() ? model.asText() : null));
    }

    /**
     * Reads an error body in OpenAI's shape {@code {"error":{"message","type","code"}}}.
     *
     * @param body the response body, possibly not JSON at all
     * @return the error's code and message (either may be null)
     */
    public static ErrorBody readError(String body) {
        if (body == null || body.isBlank()) {
            return new ErrorBody(null, null);
        }
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return new ErrorBody(text(error.path("code")), text(error.path("message")));
        } catch (IOException e) {
            return new ErrorBody(null, null);
        }
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    /**
     * The interesting parts of an error answer.
     *
     * @param code    OpenAI-style error code, e.g. {@code budget_exhausted}, or null
     * @param message the error message, or null
     */
    public record ErrorBody(String code, String message) {
    }
}
