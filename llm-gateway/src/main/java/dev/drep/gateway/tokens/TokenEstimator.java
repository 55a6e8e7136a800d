package dev.drep.gateway.tokens;

import dev.drep.gateway.provider.GenerationParameters;
import dev.drep.gateway.provider.ProviderMessage;
import java.util.List;

/**
 * Estimates tokens before a call (for the token window and budgets) and when a provider reports no
 * usage. No tokenizer library is available on drep's Maven mirror (jtokkit does not resolve), so
 * it uses the rule of thumb OpenAI documents: about four characters per token of English text, plus
 * OpenAI's per-message framing overhead. Estimates are reconciled with the provider's usage after
 * the call whenever the provider reports it.
 */
public final class TokenEstimator {

    /** Characters per token of the rule of thumb. */
    public static final int CHARS_PER_TOKEN = 4;
    /** Tokens OpenAI's chat format adds per message (role and separators). */
    static final int TOKENS_PER_MESSAGE = 4;
    /** Tokens that prime the assistant's reply. */
    static final int REPLY_PRIMING = 3;

    private TokenEstimator() {
    }

    /**
     * @param text any text
     * @return its estimated tokens, at least one for non-empty text
     */
    public static int textTokens(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }

    /**
     * @param messages a conversation
     * @return the estimated prompt tokens
     */
    public static int promptTokens(List<ProviderMessage> messages) {
        long tokens = REPLY_PRIMING;
        for (ProviderMessage message : messages) {
            tokens += TOKENS_PER_MESSAGE + textTokens(message.content()) + textTokens(message.name())
                    + (message.toolCalls() == null ? 0 : textTokens(message.toolCalls().toString()));
        }
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    /**
     * The most the answer can cost: the client's own cap when it set one, else the model's maximum,
     * which the gateway then sends as the cap (see {@link GenerationParameters#cappedAt(int)}); either
     * way the provider cannot exceed it.
     *
     * @param parameters      the request's options
     * @param maxOutputTokens the model's most completion tokens
     * @return the completion tokens to reserve
     */
    public static int completionTokens(GenerationParameters parameters, int maxOutputTokens) {
        if (parameters.maxCompletionTokens() != null) {
            return parameters.maxCompletionTokens();
        }
        if (parameters.maxTokens() != null) {
            return parameters.maxTokens();
        }
        return maxOutputTokens;
    }
}
