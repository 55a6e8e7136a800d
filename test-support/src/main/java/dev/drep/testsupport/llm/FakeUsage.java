package dev.drep.testsupport.llm;

/**
 * Token usage the fake provider reports in the {@code usage} object of an answer.
 *
 * @param promptTokens     reported as {@code prompt_tokens}
 * @param completionTokens reported as {@code completion_tokens}
 */
public record FakeUsage(int promptTokens, int completionTokens) {

    /** @return {@code prompt_tokens + completion_tokens}, reported as {@code total_tokens} */
    public int totalTokens() {
        return promptTokens + completionTokens;
    }

    /**
     * The default estimate: about four characters per token, at least one token each, which is
     * the rule of thumb OpenAI documents for English text.
     *
     * @param request the chat-completion request
     * @param answer  the answer content
     * @return the estimated usage
     */
    public static FakeUsage estimate(RecordedRequest request, String answer) {
        int promptChars = 0;
        for (RecordedRequest.Message message : request.messages()) {
            promptChars += message.content() == null ? 0 : message.content().length();
        }
        return new FakeUsage(Math.max(1, (promptChars + 3) / 4), Math.max(1, (answer.length() + 3) / 4));
    }
}
