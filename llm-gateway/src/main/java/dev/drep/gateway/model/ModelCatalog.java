package dev.drep.gateway.model;

import dev.drep.gateway.GatewayConfig;
import dev.drep.gateway.provider.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The model aliases clients may request and where each runs. Clients name aliases, never
 * provider models, so operators can swap models or providers without touching any client.
 */
@ApplicationScoped
public class ModelCatalog {

    private final SortedMap<String, ModelRoute> routes;
    private final Instant loadedAt = Instant.now();

    /**
     * @param config the gateway configuration: {@code default-model} and {@code models.*}
     */
    public ModelCatalog(GatewayConfig config) {
        SortedMap<String, ModelRoute> all = new TreeMap<>();
        all.put(GatewayConfig.DEFAULT_ALIAS, new ModelRoute(GatewayConfig.DEFAULT_ALIAS,
                ProviderRegistry.DEFAULT_PROVIDER, config.defaultModel()));
        for (Map.Entry<String, String> entry : config.models().entrySet()) {
            all.put(entry.getKey(), new ModelRoute(entry.getKey(), ProviderRegistry.DEFAULT_PROVIDER,
                    entry.getValue()));
        }
        this.routes = Collections.unmodifiableSortedMap(all);
    }

    /**
     * @param alias what a client sent as {@code model}
     * @return the route, if the alias is known (exact, case-sensitive match)
     */
    public Optional<ModelRoute> resolve(String alias) {
        return Optional.ofNullable(routes.get(alias));
    }

    /** @return every route, sorted by alias */
    public SortedMap<String, ModelRoute> routes() {
        return routes;
    }

    /** @return when the catalog was loaded (reported as the models' {@code created}) */
    public Instant loadedAt() {
        return loadedAt;
    }
}
