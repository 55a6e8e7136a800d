package dev.drep.gateway.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.gateway.provider.TokenCounts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Relays one streamed answer from the provider to the client, event by event, and assembles it as it passes.
 * Each provider event ({@code data} of a server-sent event) becomes the client's {@code data:} frame with
 * {@code model} set to the alias that answers (as in a non-streaming answer); the chunk with the usage, which the
 * gateway always asks for, reaches the client only when it asked for it too. What passes is assembled into
 * OpenAI's non-streaming {@code choices} (text, tool calls with their {@code arguments} string as sent, finish
 * reason), which the cache keeps and {@link #replay} streams again. Plain Java; one relay per stream, used by one
 * thread at a time.
 */
public final class StreamRelay {

    /** The end of a stream in OpenAI's wire. */
    public static final String DONE = "[DONE]";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the provider's stream went, as far as the relay has seen. */
    public enum State {
        /** Events are passing. */
        RUNNING,
        /** {@code [DONE]} arrived. */
        DONE,
        /** An event was not an OpenAI chunk. */
        MALFORMED,
        /** The provider sent an {@code error} event. */
        PROVIDER_ERROR
    }

    private final String alias;
    private final boolean clientWantsUsage;
    private final Map<Integer, Choice> choices = new TreeMap<>();
    private State state = State.RUNNING;
    private String id;
    private TokenCounts usage;
    private boolean logprobs;
    private String problem;

    /**
     * @param alias            the alias answering, written into every chunk's {@code model}
     * @param clientWantsUsage whether the client asked for {@code stream_options.include_usage}
     */
    public StreamRelay(String alias, boolean clientWantsUsage) {
        this.alias = alias;
        this.clientWantsUsage = clientWantsUsage;
    }

    /**
     * @param data one event's {@code data} from the provider
     * @return the frame for the client ({@code data: ...} and a blank line), or {@code ""} for none
     * @throws IllegalStateException when the event is not an OpenAI chunk or is an error ({@link #state()} says
     *                               which)
     */
    public String relay(String data) {
        if (state != State.RUNNING) {
            return "";
        }
        if (DONE.equals(data.strip())) {
            state = State.DONE;
            return frame(DONE);
        }
        JsonNode chunk;
        try {
            chunk = JSON.readTree(data);
        } catch (IOException e) {
            chunk = null;
        }
        if (chunk != null && chunk.isObject() && chunk.has("error")) {
            state = State.PROVIDER_ERROR;
            JsonNode message = chunk.path("error").path("message");
            problem = message.isTextual() ? message.asText() : null;
            throw new IllegalStateException("the provider sent an error event");
        }
        if (chunk == null || !chunk.isObject() || !chunk.path("choices").isArray()) {
            state = State.MALFORMED;
            throw new IllegalStateException("the provider sent an event that is not a chat.completion.chunk");
        }
        ObjectNode object = (ObjectNode) chunk;
        if (id == null && object.path("id").isTextual()) {
            id = object.get("id").asText();
        }
        object.put("model", alias);
        for (JsonNode choice : object.get("choices")) {
            assemble(choice);
        }
        JsonNode reported = object.get("usage");
        if (reported != null && reported.isObject()) {
            usage = usageOf(reported);
        }
        if (!clientWantsUsage) {
            if (object.get("choices").isEmpty() && reported != null) {
                return "";
            }
            object.remove("usage");
        }
        return frame(object.toString());
    }

    private void assemble(JsonNode choice) {
        Choice assembled = choices.computeIfAbsent(choice.path("index").asInt(0), Choice::new);
        JsonNode delta = choice.path("delta");
        if (delta.path("role").isTextual()) {
            assembled.role = delta.get("role").asText();
        }
        if (delta.path("content").isTextual()) {
            assembled.content.append(delta.get("content").asText());
            assembled.hasContent = true;
        }
        if (delta.path("refusal").isTextual()) {
            assembled.refusal = (assembled.refusal == null ? "" : assembled.refusal) + delta.get("refusal").asText();
        }
        for (JsonNode call : delta.path("tool_calls")) {
            ToolCall tool = assembled.toolCalls.computeIfAbsent(call.path("index").asInt(0), i -> new ToolCall());
            if (call.path("id").isTextual()) {
                tool.id = call.get("id").asText();
            }
            if (call.path("type").isTextual()) {
                tool.type = call.get("type").asText();
            }
            if (call.path("function").path("name").isTextual()) {
                tool.name.append(call.get("function").get("name").asText());
            }
            if (call.path("function").path("arguments").isTextual()) {
                tool.arguments.append(call.get("function").get("arguments").asText());
            }
        }
        if (choice.has("logprobs") && !choice.get("logprobs").isNull()) {
            logprobs = true;
        }
        if (choice.path("finish_reason").isTextual()) {
            assembled.finishReason = choice.get("finish_reason").asText();
        }
    }

    /** @return how the stream went so far */
    public State state() {
        return state;
    }

    /** @return what the provider said in its error event, or {@code null} */
    public String problem() {
        return problem;
    }

    /** @return the provider's completion id, or {@code null} */
    public String id() {
        return id;
    }

    /** @return the usage the provider reported in its last chunk, or {@code null} */
    public TokenCounts usage() {
        return usage;
    }

    /** @return whether the chunks carried log probabilities, which the assembled answer leaves out */
    public boolean carriedLogprobs() {
        return logprobs;
    }

    /** @return the first choice's text so far, or {@code null} */
    public String content() {
        Choice first = choices.get(0);
        return first == null || !first.hasContent ? null : first.content.toString();
    }

    /** @return the first choice's finish reason, or {@code null} */
    public String finishReason() {
        Choice first = choices.get(0);
        return first == null ? null : first.finishReason;
    }

    /** @return every choice's text and tool-call arguments so far, for an estimate of the completion tokens */
    public String generatedText() {
        StringBuilder all = new StringBuilder();
        for (Choice choice : choices.values()) {
            all.append(choice.content);
            choice.toolCalls.values().forEach(tool -> all.append(tool.name).append(tool.arguments));
        }
        return all.toString();
    }

    /** @return the answer as OpenAI's non-streaming {@code choices} */
    public ArrayNode choices() {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        for (Choice choice : choices.values()) {
            ObjectNode node = all.addObject();
            node.put("index", choice.index);
            ObjectNode message = node.putObject("message");
            message.put("role", choice.role == null ? "assistant" : choice.role);
            if (choice.hasContent) {
                message.put("content", choice.content.toString());
            } else {
                message.putNull("content");
            }
            if (choice.refusal != null) {
                message.put("refusal", choice.refusal);
            }
            if (!choice.toolCalls.isEmpty()) {
                ArrayNode calls = message.putArray("tool_calls");
                for (ToolCall tool : choice.toolCalls.values()) {
                    ObjectNode call = calls.addObject();
                    call.put("id", tool.id);
                    call.put("type", tool.type == null ? "function" : tool.type);
                    call.putObject("function").put("name", tool.name.toString())
                            .put("arguments", tool.arguments.toString());
                }
            }
            node.putNull("logprobs");
            node.put("finish_reason", choice.finishReason);
        }
        return all;
    }

    /**
     * Streams a whole answer again, as a provider would: per choice one chunk with the role, its text and tool
     * calls, one with its finish reason; then the usage when asked for; then {@code [DONE]}.
     *
     * @param id           the completion id
     * @param created      Unix seconds
     * @param alias        the answer's {@code model}
     * @param choices      the answer in OpenAI's non-streaming {@code choices}
     * @param usage        the usage, or {@code null}
     * @param includeUsage whether the client asked for the usage chunk
     * @return the frames for the client
     */
    public static List<String> replay(String id, long created, String alias, JsonNode choices, TokenCounts usage,
            boolean includeUsage) {
        List<String> frames = new ArrayList<>();
        for (JsonNode choice : choices) {
            JsonNode message = choice.path("message");
            ObjectNode first = chunk(id, created, alias);
            ObjectNode body = first.withArray("choices").addObject();
            body.put("index", choice.path("index").asInt(0));
            ObjectNode delta = body.putObject("delta");
            delta.put("role", message.path("role").asText("assistant"));
            if (message.path("content").isTextual()) {
                delta.put("content", message.get("content").asText());
            }
            if (message.path("refusal").isTextual()) {
                delta.put("refusal", message.get("refusal").asText());
            }
            if (message.path("tool_calls").isArray()) {
                ArrayNode calls = delta.putArray("tool_calls");
                int index = 0;
                for (JsonNode call : message.get("tool_calls")) {
                    ObjectNode withIndex = calls.addObject();
                    withIndex.put("index", index++);
                    withIndex.setAll((ObjectNode) call);
                }
            }
            body.putNull("logprobs");
            body.putNull("finish_reason");
            frames.add(frame(first.toString()));
            ObjectNode last = chunk(id, created, alias);
            ObjectNode end = last.withArray("choices").addObject();
            end.put("index", choice.path("index").asInt(0));
            end.putObject("delta");
            end.putNull("logprobs");
            end.set("finish_reason", choice.get("finish_reason"));
            frames.add(frame(last.toString()));
        }
        if (includeUsage && usage != null) {
            ObjectNode last = chunk(id, created, alias);
            last.putArray("choices");
            last.putObject("usage").put("prompt_tokens", usage.promptTokens())
                    .put("completion_tokens", usage.completionTokens()).put("total_tokens", usage.totalTokens());
            frames.add(frame(last.toString()));
        }
        frames.add(frame(DONE));
        return frames;
    }

    /**
     * @param error the error in OpenAI's shape ({@code {"error":{...}}})
     * @return the frame that tells an OpenAI client the stream failed (its SDK raises an error on it)
     */
    public static String errorFrame(JsonNode error) {
        return frame(error.toString());
    }

    private static ObjectNode chunk(String id, long created, String alias) {
        ObjectNode chunk = JsonNodeFactory.instance.objectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", alias);
        return chunk;
    }

    private static String frame(String data) {
        return "data: " + data + "\n\n";
    }

    private static TokenCounts usageOf(JsonNode usage) {
        if (!usage.path("prompt_tokens").isNumber()) {
            return null;
        }
        int prompt = usage.path("prompt_tokens").asInt();
        int completion = usage.path("completion_tokens").asInt();
        return new TokenCounts(prompt, completion, usage.path("total_tokens").asInt(prompt + completion));
    }

    private static final class Choice {
        final int index;
        final StringBuilder content = new StringBuilder();
        final Map<Integer, ToolCall> toolCalls = new TreeMap<>();
        boolean hasContent;
        String role;
        String refusal;
        String finishReason;

        Choice(int index) {
            this.index = index;
        }
    }

    private static final class ToolCall {
        final StringBuilder name = new StringBuilder();
        final StringBuilder arguments = new StringBuilder();
        String id;
        String type;
    }
}
