package dev.drep.gateway.model;

/**
 * Where a model alias runs.
 *
 * @param alias         the name clients send as {@code model}
 * @param provider      the provider's name in the {@link dev.drep.gateway.provider.ProviderRegistry}
 * @param providerModel the model name the provider knows
 */
public record ModelRoute(String alias, String provider, String providerModel) {
}
