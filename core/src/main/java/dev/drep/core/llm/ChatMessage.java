package dev.drep.core.llm;

import java.util.Objects;

/**
 * One message of a chat completion.
 *
 * @param role    {@code system}, {@code user} or {@code assistant}
 * @param content the text
 */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /** @return a system message */
    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    /** @return a user message */
    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }
}
