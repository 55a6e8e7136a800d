package dev.drep.core.llm;

/**
 * How {@link FindingVerifier} spends its calls.
 *
 * @param enabled             false: the verifier never runs, whatever a repository's {@code verify} says
 * @param model               the gateway alias asked for ({@code default}: the gateway picks the model of the task
 *                            class {@code verify})
 * @param minConfidence       a confirmation with less confidence than this (0 to 1) leaves the finding unconfirmed
 * @param contextLines        lines of code shown above and below each finding's lines
 * @param batchTokenBudget    estimated prompt tokens per call
 * @param maxFindingsPerCall  findings asked about in one call at most
 * @param maxParallelCalls    calls of one unit in flight at once
 * @param maxCompletionTokens {@code max_tokens} of each call
 * @param maxAnswerChars      longer answers are not parsed (their findings stay unconfirmed)
 * @param cacheNamespace      mixed into every cache key (the analyzer's cache namespace)
 */
public record VerifierSettings(boolean enabled, String model, double minConfidence, int contextLines,
        int batchTokenBudget, int maxFindingsPerCall, int maxParallelCalls, int maxCompletionTokens,
        int maxAnswerChars, String cacheNamespace) {
    public VerifierSettings {
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException("the verifier's minimum confidence must be from 0 to 1, got "
                    + minConfidence + " (drep.analyzer.verify.min-confidence)");
        }
        if (contextLines < 0 || batchTokenBudget < 1 || maxFindingsPerCall < 1 || maxParallelCalls < 1
                || maxCompletionTokens < 1 || maxAnswerChars < 1) {
            throw new IllegalArgumentException("verifier settings must be positive (drep.analyzer.verify.*): " + this);
        }
    }

    /** Defaults: confidence 0.6, 3 lines of context, 20 findings and 8,000 tokens per call, 3 calls in flight. */
    public static VerifierSettings defaults() {
        return new VerifierSettings(true, "default", 0.6, 3, 8_000, 20, 3, 2_048, 200_000, "v1");
    }
}
