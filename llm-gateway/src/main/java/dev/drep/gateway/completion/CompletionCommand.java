package dev.drep.gateway.completion;

import dev.drep.gateway.provider.GenerationParameters;
import dev.drep.gateway.provider.ProviderMessage;
import java.util.List;

/**
 * A validated chat-completion request, before its alias is resolved.
 *
 * @param alias      the {@code model} the client asked for
 * @param messages   the conversation, at least one message
 * @param parameters   sampling and output options
 * @param stream       whether the client asked for server-sent events ({@code stream: true})
 * @param includeUsage whether it asked for a last chunk with the usage ({@code stream_options.include_usage})
 */
public record CompletionCommand(String alias, List<ProviderMessage> messages, GenerationParameters parameters,
        boolean stream, boolean includeUsage) {

    public CompletionCommand {
        messages = List.copyOf(messages);
    }

    /** A non-streaming request. */
    public CompletionCommand(String alias, List<ProviderMessage> messages, GenerationParameters parameters) {
        this(alias, messages, parameters, false, false);
    }
}
