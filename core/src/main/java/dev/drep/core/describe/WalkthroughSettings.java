package dev.drep.core.describe;

/**
 * How the walkthrough is asked for.
 *
 * @param enabled             false: no call, the walkthrough says the LLM is switched off
 * @param model               the model alias asked for
 * @param namespace           the analysis cache's namespace (part of the key)
 * @param maxPromptChars      the diff text one call carries at most; files beyond it are listed without a line
 * @param complexAboveChars   a diff longer than this goes to task class {@code complex}, a shorter one to {@code simple}
 * @param maxCompletionTokens upper bound of the answer's tokens
 * @param maxAnswerChars      longer answers are not read
 */
public record WalkthroughSettings(boolean enabled, String model, String namespace, int maxPromptChars,
        int complexAboveChars, int maxCompletionTokens, int maxAnswerChars) {
}
