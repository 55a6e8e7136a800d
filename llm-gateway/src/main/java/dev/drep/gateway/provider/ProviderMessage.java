package dev.drep.gateway.provider;

import java.util.Objects;

/**
 * One message of a conversation sent to a provider.
 *
 * @param role    who speaks
 * @param content the text, never blank
 * @param name    optional participant name (OpenAI's {@code name}), or {@code null}
 */
public record ProviderMessage(Role role, String content, String name) {

    /** Who speaks a message. */
    public enum Role {
        /** Instructions for the model (OpenAI's {@code system} and {@code developer}). */
        SYSTEM,
        /** The caller. */
        USER,
        /** The model, in earlier turns of the conversation. */
        ASSISTANT
    }

    public ProviderMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
