package dev.drep.gateway.provider;

import java.util.List;
import java.util.Objects;

/**
 * A chat completion to run on a provider.
 *
 * @param model      the provider's model name (already resolved from the client's alias)
 * @param messages   the conversation, at least one message
 * @param parameters sampling and output options
 * @param stream     whether the answer is streamed (server-sent events, usage requested in the last chunk)
 */
public record ProviderRequest(String model, List<ProviderMessage> messages, GenerationParameters parameters,
        boolean stream) {

    public ProviderRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat completion needs at least one message");
        }
        Objects.requireNonNull(parameters, "parameters");
    }

    /** A non-streaming request. */
    public ProviderRequest(String model, List<ProviderMessage> messages, GenerationParameters parameters) {
        this(model, messages, parameters, false);
    }
}
