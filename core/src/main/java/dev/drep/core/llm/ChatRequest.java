package dev.drep.core.llm;

import java.util.List;

/**
 * A chat completion as drep asks for it, before it is put on the wire ({@link OpenAiWire}).
 *
 * @param messages   the conversation
 * @param taskClass  {@code X-Drep-Task-Class}: {@code simple} or {@code complex}; the gateway routes it to a model
 * @param priority   {@code X-Drep-Priority}: {@code interactive} or {@code batch}
 * @param repository {@code X-Drep-Repository}
 * @param jobId      {@code X-Drep-Job}
 * @param maxTokens  upper bound of the answer's tokens
 * @param bypassCache {@code X-Drep-Cache: bypass}: the gateway does not answer from its cache ({@code /drep review})
 */
public record ChatRequest(List<ChatMessage> messages, String taskClass, String priority, String repository,
        String jobId, int maxTokens, boolean bypassCache) {
    public ChatRequest {
        messages = List.copyOf(messages);
    }

    /** A request the gateway may answer from its cache. */
    public ChatRequest(List<ChatMessage> messages, String taskClass, String priority, String repository, String jobId,
            int maxTokens) {
        this(messages, taskClass, priority, repository, jobId, maxTokens, false);
    }

    /** @return the estimated prompt tokens of all messages */
    public int estimatedPromptTokens() {
        int tokens = 0;
        for (ChatMessage message : messages) {
            tokens += TokenEstimate.of(message.content()) + 4;
        }
        return tokens;
    }
}
