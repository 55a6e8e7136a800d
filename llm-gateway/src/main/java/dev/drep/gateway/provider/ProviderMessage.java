package dev.drep.gateway.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One message of a conversation sent to a provider.
 *
 * @param role       who speaks
 * @param content    the text; {@code null} only for an assistant message that carries {@code toolCalls}
 * @param name       optional participant name (OpenAI's {@code name}), or {@code null}
 * @param toolCalls  an assistant message's {@code tool_calls}, exactly as the client sent them, or {@code null}
 * @param toolCallId a {@code tool} message's {@code tool_call_id}, or {@code null}
 */
public record ProviderMessage(Role role, String content, String name, JsonNode toolCalls, String toolCallId) {

    /** Who speaks a message. */
    public enum Role {
        /** Instructions for the model (OpenAI's {@code system} and {@code developer}). */
        SYSTEM,
        /** The caller. */
        USER,
        /** The model, in earlier turns of the conversation. */
        ASSISTANT,
        /** The result of a tool call the model asked for ({@code tool_call_id} names the call). */
        TOOL
    }

    public ProviderMessage {
        Objects.requireNonNull(role, "role");
        if (content == null && toolCalls == null) {
            throw new NullPointerException("content");
        }
    }

    /**
     * A text message.
     *
     * @param role    who speaks
     * @param content the text
     * @param name    optional participant name, or {@code null}
     */
    public ProviderMessage(Role role, String content, String name) {
        this(role, content, name, null, null);
    }
}
