package dev.drep.contracts;

/**
 * What a unit cost in LLM terms.
 *
 * @param llmCalls         calls made to the gateway (cache hits included)
 * @param cacheHits        calls answered from a cache at no token cost
 * @param promptTokens     prompt tokens spent
 * @param completionTokens completion tokens spent
 * @param cost             cost in the gateway's currency unit
 */
public record UnitUsage(int llmCalls, int cacheHits, long promptTokens, long completionTokens, double cost) {
    /** No LLM use. */
    public static final UnitUsage NONE = new UnitUsage(0, 0, 0, 0, 0);
}
