package dev.drep.core.llm;

import java.util.concurrent.CompletionStage;

/** Where chat completions go: the LLM gateway in the analyzer, a fake provider in benchmarks. */
@FunctionalInterface
public interface ChatPort {

    /**
     * @param request the completion to ask for
     * @return the answer or the refusal; the stage fails only on a programming error, never for a
     *         gateway or provider problem (those are {@link ChatOutcome.Refused})
     */
    CompletionStage<ChatOutcome> complete(ChatRequest request);
}
