package dev.drep.gateway.model;

/**
 * Where a model alias runs.
 *
 * @param alias           the name clients send as {@code model}
 * @param provider        the provider's name in the {@link dev.drep.gateway.provider.ProviderRegistry}
 * @param providerModel   the model name the provider knows
 * @param maxOutputTokens the most completion tokens a call may produce: sent as {@code max_tokens} when the
 *                        client caps nothing, and reserved in the budgets and the token window for such a request
 */
public record ModelRoute(String alias, String provider, String providerModel, int maxOutputTokens) {

    public ModelRoute {
        if (maxOutputTokens < 1) {
            throw new IllegalArgumentException("max-output-tokens of alias '" + alias + "' must be at least 1, not "
                    + maxOutputTokens);
        }
    }
}
