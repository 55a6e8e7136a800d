package dev.drep.gateway.model;

import dev.drep.gateway.GatewayConfig;
import dev.drep.gateway.provider.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The model aliases clients may request, where each runs, what it falls back to and which alias
 * each task class uses. Clients name aliases, never provider models, so operators can swap models
 * or providers without touching any client. The whole catalog is checked at start-up: an alias on
 * an unknown provider, or a fallback or task class naming an unknown alias, stops the gateway with
 * the offending key. Each alias also knows the most completion tokens its model may produce
 * ({@code max-output-tokens}), which bounds what a request that caps nothing can spend.
 */
@ApplicationScoped
public class ModelCatalog {

    private final SortedMap<String, ModelRoute> routes;
    private final Map<String, List<ModelRoute>> chains;
    private final Map<String, String> taskClasses;
    private final Instant loadedAt = Instant.now();

    /**
     * @param config the gateway configuration: {@code default-model}, {@code models.*},
     *               {@code aliases.*}, {@code fallbacks.*}, {@code task-classes.*}
     */
    public ModelCatalog(GatewayConfig config) {
        Set<String> providers = new TreeSet<>(config.providers().keySet());
        providers.add(ProviderRegistry.DEFAULT_PROVIDER);

        int maxOutput = config.maxOutputTokens();
        if (maxOutput < 1) {
            throw new IllegalArgumentException("drep.gateway.max-output-tokens must be at least 1, not " + maxOutput
                    + ".");
        }
        SortedMap<String, ModelRoute> all = new TreeMap<>();
        all.put(GatewayConfig.DEFAULT_ALIAS, new ModelRoute(GatewayConfig.DEFAULT_ALIAS,
                ProviderRegistry.DEFAULT_PROVIDER, config.defaultModel(), maxOutput));
        config.models().forEach((alias, model) ->
                all.put(alias, new ModelRoute(alias, ProviderRegistry.DEFAULT_PROVIDER, model, maxOutput)));
        config.aliases().forEach((alias, target) -> {
            if (!providers.contains(target.provider())) {
                throw new IllegalArgumentException("drep.gateway.aliases." + alias + ".provider names provider '"
                        + target.provider() + "', which is not configured; known providers: "
                        + String.join(", ", providers) + ".");
            }
            int aliasMaxOutput = target.maxOutputTokens().orElse(maxOutput);
            if (aliasMaxOutput < 1) {
                throw new IllegalArgumentException("drep.gateway.aliases." + alias + ".max-output-tokens must be at "
                        + "least 1, not " + aliasMaxOutput + ".");
            }
            all.put(alias, new ModelRoute(alias, target.provider(), target.model(), aliasMaxOutput));
        });
        this.routes = Collections.unmodifiableSortedMap(all);

        Map<String, List<ModelRoute>> allChains = new TreeMap<>();
        for (ModelRoute route : all.values()) {
            LinkedHashSet<String> chain = new LinkedHashSet<>();
            chain.add(route.alias());
            for (String fallback : config.fallbacks().getOrDefault(route.alias(), List.of())) {
                String name = fallback.trim();
                if (!all.containsKey(name)) {
                    throw new IllegalArgumentException("drep.gateway.fallbacks." + route.alias() + " names alias '"
                            + name + "', which is not configured; known aliases: " + String.join(", ", all.keySet())
                            + ".");
                }
                chain.add(name);
            }
            List<ModelRoute> resolved = new ArrayList<>();
            chain.forEach(alias -> resolved.add(all.get(alias)));
            allChains.put(route.alias(), List.copyOf(resolved));
        }
        for (String alias : config.fallbacks().keySet()) {
            if (!all.containsKey(alias)) {
                throw new IllegalArgumentException("drep.gateway.fallbacks." + alias + " is set for an alias that is "
                        + "not configured; known aliases: " + String.join(", ", all.keySet()) + ".");
            }
        }
        this.chains = Collections.unmodifiableMap(allChains);

        config.taskClasses().forEach((taskClass, alias) -> {
            if (!all.containsKey(alias)) {
                throw new IllegalArgumentException("drep.gateway.task-classes." + taskClass + " names alias '" + alias
                        + "', which is not configured; known aliases: " + String.join(", ", all.keySet()) + ".");
            }
        });
        this.taskClasses = Map.copyOf(config.taskClasses());
    }

    /**
     * @param alias what a client sent as {@code model}
     * @return the route, if the alias is known (exact, case-sensitive match)
     */
    public Optional<ModelRoute> resolve(String alias) {
        return Optional.ofNullable(routes.get(alias));
    }

    /**
     * Which alias serves a request: a request for {@code default} with a configured task class
     * goes to that class's alias; any other request keeps the alias it named.
     *
     * @param requested the {@code model} the client sent
     * @param taskClass {@code X-Drep-Task-Class}, or {@code null}
     * @return the alias to serve it with
     */
    public String aliasFor(String requested, String taskClass) {
        if (GatewayConfig.DEFAULT_ALIAS.equals(requested) && taskClass != null) {
            return taskClasses.getOrDefault(taskClass, requested);
        }
        return requested;
    }

    /**
     * @param alias a known alias
     * @return the alias's route followed by its fallbacks, in order; empty when the alias is unknown
     */
    public List<ModelRoute> chain(String alias) {
        return chains.getOrDefault(alias, List.of());
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
