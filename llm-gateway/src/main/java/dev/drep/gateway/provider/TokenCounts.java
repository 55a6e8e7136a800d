package dev.drep.gateway.provider;

/**
 * Token usage a provider reported for one completion.
 *
 * @param promptTokens     tokens of the request
 * @param completionTokens tokens of the answer
 * @param totalTokens      as reported; the sum when the provider reported no total
 */
public record TokenCounts(int promptTokens, int completionTokens, int totalTokens) {
}
