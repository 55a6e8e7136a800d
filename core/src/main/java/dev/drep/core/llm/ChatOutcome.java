package dev.drep.core.llm;

/** What a chat completion call came back with: an answer, or a refusal that explains itself. */
public sealed interface ChatOutcome {

    /**
     * The model answered.
     *
     * @param content          the answer's text
     * @param finishReason     {@code stop}, {@code length} (cut off at the token limit), ...; may be null
     * @param promptTokens     {@code usage.prompt_tokens}, 0 when not reported
     * @param completionTokens {@code usage.completion_tokens}, 0 when not reported
     * @param cost             the cost the gateway reported, 0 when it did not
     * @param cacheHit         whether the gateway answered from its own response cache
     * @param queueWaitMillis  how long the gateway held the request before admitting it, 0 when not reported
     * @param model            the completion's {@code model}: what answered (drep's gateway names the alias of the
     *                         route that served the call, after its task-class routing and fallbacks); null when the
     *                         answer names none
     */
    record Answer(String content, String finishReason, long promptTokens, long completionTokens, double cost,
            boolean cacheHit, long queueWaitMillis, String model) implements ChatOutcome {
        /** An answer that names no model. */
        public Answer(String content, String finishReason, long promptTokens, long completionTokens, double cost,
                boolean cacheHit, long queueWaitMillis) {
            this(content, finishReason, promptTokens, completionTokens, cost, cacheHit, queueWaitMillis, null);
        }

        /** An answer with no reported queue wait. */
        public Answer(String content, String finishReason, long promptTokens, long completionTokens, double cost,
                boolean cacheHit) {
            this(content, finishReason, promptTokens, completionTokens, cost, cacheHit, 0, null);
        }

        /** @return true when the model stopped because it reached the token limit */
        public boolean cutOff() {
            return "length".equals(finishReason);
        }
    }

    /**
     * The call did not produce an answer: the gateway refused (budget, rate limit), failed, was
     * unreachable, or its circuit breaker is open.
     *
     * @param reason for a person, e.g. {@code LLM budget exhausted: daily token budget of acme/docs}
     */
    record Refused(String reason) implements ChatOutcome {
    }
}
