package dev.drep.gateway.completion;

import dev.drep.gateway.provider.GenerationParameters;
import dev.drep.gateway.provider.ProviderMessage;
import java.util.List;

/**
 * A validated chat-completion request, before its alias is resolved.
 *
 * @param alias      the {@code model} the client asked for
 * @param messages   the conversation, at least one message
 * @param parameters sampling and output options
 */
public record CompletionCommand(String alias, List<ProviderMessage> messages, GenerationParameters parameters) {

    public CompletionCommand {
        messages = List.copyOf(messages);
    }
}
