package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a unit cost in LLM terms.
 *
 * @param llmCalls         calls made to the gateway (cache hits included)
 * @param cacheHits        calls answered from a cache at no token cost
 * @param promptTokens     prompt tokens spent
 * @param completionTokens completion tokens spent
 * @param cost             cost in the gateway's currency unit
 * @param verifyTokens     of the prompt and completion tokens, those the verifier's calls spent (task class
 *                         {@code verify}); 0 in usage written before the verifier existed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UnitUsage(int llmCalls, int cacheHits, long promptTokens, long completionTokens, double cost,
        long verifyTokens) {
    /** No LLM use. */
    public static final UnitUsage NONE = new UnitUsage(0, 0, 0, 0, 0);

    /** Usage without verifier calls. */
    public UnitUsage(int llmCalls, int cacheHits, long promptTokens, long completionTokens, double cost) {
        this(llmCalls, cacheHits, promptTokens, completionTokens, cost, 0);
    }

    /** @return this usage and {@code other} added up */
    public UnitUsage plus(UnitUsage other) {
        return new UnitUsage(llmCalls + other.llmCalls, cacheHits + other.cacheHits, promptTokens + other.promptTokens,
                completionTokens + other.completionTokens, cost + other.cost, verifyTokens + other.verifyTokens);
    }
}
