package dev.drep.core.llm;

/**
 * How {@link LlmUnitEngine} spends LLM calls.
 *
 * @param llmEnabled               false: no calls; files that need the model are named as not analysed
 * @param model                    the gateway alias asked for (the gateway maps task classes to models)
 * @param batchTokenBudget         estimated prompt tokens per request
 * @param maxItemsPerBatch         prompt items per request at most
 * @param maxParallelCalls         requests of one unit in flight at once
 * @param maxCompletionTokens      {@code max_tokens} of each request
 * @param expectedCompletionTokens completion tokens reserved per request against the job's ceiling
 *                                 (settled with the reported usage afterwards)
 * @param maxFindingsPerFile       findings kept per file from the model (the most severe first)
 * @param maxAnswerChars           longer answers are refused unparsed
 * @param cacheNamespace           mixed into every cache key; change it to drop the whole cache
 */
public record EngineSettings(boolean llmEnabled, String model, int batchTokenBudget, int maxItemsPerBatch,
        int maxParallelCalls, int maxCompletionTokens, int expectedCompletionTokens, int maxFindingsPerFile,
        int maxAnswerChars, String cacheNamespace) {
    public EngineSettings {
        if (batchTokenBudget < 1 || maxItemsPerBatch < 1 || maxParallelCalls < 1 || maxCompletionTokens < 1
                || maxFindingsPerFile < 1 || maxAnswerChars < 1) {
            throw new IllegalArgumentException("LLM engine settings must be positive: " + this);
        }
    }

    /** Defaults that suit a hosted model with an 8k+ context: 12,000-token batches, 5 calls in flight. */
    public static EngineSettings defaults() {
        return new EngineSettings(true, "default", 12_000, 24, 5, 4_096, 800, 25, 400_000, "v1");
    }
}
