package dev.drep.testsupport.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the fake provider received it.
 *
 * @param sequence   1-based arrival order among all requests since the last reset
 * @param method     HTTP method, e.g. {@code POST}
 * @param path       request path without the query, e.g. {@code /v1/chat/completions}
 * @param headers    request headers, names in lower case
 * @param body       the raw body as UTF-8 text (empty for requests without one)
 * @param json       the body parsed as JSON, or {@code null} when it is not JSON
 * @param receivedAt when the request arrived
 */
public record RecordedRequest(
        long sequence,
        String method,
        String path,
        Map<String, List<String>> headers,
        String body,
        JsonNode json,
        Instant receivedAt) {

    /** One chat message of a chat-completion request. */
    public record Message(String role, String content) {
    }

    /** @return the first value of the header (case-insensitive name), if present */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** @return whether this is a chat-completion request */
    public boolean isChatCompletion() {
        return "POST".equals(method) && FakeLlmServer.CHAT_COMPLETIONS_PATH.equals(path);
    }

    /** @return the {@code model} field of the JSON body, or {@code null} */
    public String model() {
        return json == null ? null : json.path("model").asText(null);
    }

    /**
     * The {@code messages} of a chat-completion request. A content given as an array of parts is
     * flattened to the concatenation of its text parts.
     *
     * @return the messages in order; empty when the body has none
     */
    public List<Message> messages() {
        List<Message> messages = new ArrayList<>();
        if (json == null || !json.path("messages").isArray()) {
            return messages;
        }
        for (JsonNode message : json.path("messages")) {
            messages.add(new Message(message.path("role").asText(null), textOf(message.path("content"))));
        }
        return messages;
    }

    /** @return the content of the last message with role {@code user}, or an empty string */
    public String lastUserMessage() {
        List<Message> messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return messages.get(i).content() == null ? "" : messages.get(i).content();
            }
        }
        return "";
    }

    static String textOf(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("text").isTextual()) {
                    text.append(part.path("text").asText());
                }
            }
            return text.toString();
        }
        return null;
    }
}
