package dev.drep.gateway.provider;

import dev.drep.gateway.GatewayConfig;
import dev.drep.gateway.resilience.AdaptiveConcurrencyLimiter;
import dev.drep.gateway.resilience.CircuitBreaker;
import dev.drep.gateway.time.SystemTicker;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The LLM providers the gateway can route to, by name: {@value #DEFAULT_PROVIDER} from
 * {@code drep.gateway.provider.*} and any number more from {@code drep.gateway.providers.<name>.*}.
 * Each comes with its circuit breaker and adaptive concurrency limiter.
 */
@ApplicationScoped
// Built at start-up so a malformed provider URL stops the gateway at once with a clear message;
// building makes no connection, so a provider that is down never does.
@Startup
public class ProviderRegistry {

    /** Name of the provider configured under {@code drep.gateway.provider}. */
    public static final String DEFAULT_PROVIDER = GatewayConfig.DEFAULT_ALIAS;

    private static final Logger LOG = Logger.getLogger(ProviderRegistry.class);

    private final Map<String, ProviderHandle> providers;

    /**
     * @param config  the gateway configuration
     * @param signals where provider responses report requested waits
     * @param ticker  time and timers for breakers and limiters
     * @param tracer  gives each provider call its span
     * @param vertx   the application's Vert.x (the providers' wire client for streams and tools)
     */
    public ProviderRegistry(GatewayConfig config, ProviderSignals signals, SystemTicker ticker, Tracer tracer,
            io.vertx.core.Vertx vertx) {
        if (config.providers().containsKey(DEFAULT_PROVIDER)) {
            throw new IllegalArgumentException("drep.gateway.providers.default is not allowed: configure the "
                    + "default provider with drep.gateway.provider.* (base-url, api-key, timeout).");
        }
        Map<String, ProviderHandle> all = new TreeMap<>();
        GatewayConfig.Provider main = config.provider();
        all.put(DEFAULT_PROVIDER, handle(config, ticker, tracer, vertx, signals, endpoint(DEFAULT_PROVIDER,
                "drep.gateway.provider",
                main.baseUrl(), main.apiKey(), main.timeout()), main.maxConcurrency()));
        config.providers().forEach((name, provider) -> all.put(name, handle(config, ticker, tracer, vertx, signals,
                endpoint(name, "drep.gateway.providers." + name, provider.baseUrl(), provider.apiKey(),
                        provider.timeout()), provider.maxConcurrency())));
        all.values().forEach(signals::register);
        this.providers = Collections.unmodifiableMap(all);
    }

    private static ProviderEndpoint endpoint(String name, String prefix, String baseUrl, Optional<String> apiKey,
            Duration timeout) {
        try {
            ProviderEndpoint endpoint = new ProviderEndpoint(name, baseUrl, apiKey, timeout);
            // ProviderEndpoint.toString() masks the key.
            LOG.infof("LLM provider: %s", endpoint);
            return endpoint;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Check " + prefix + ".base-url: " + e.getMessage(), e);
        }
    }

    private static ProviderHandle handle(GatewayConfig config, SystemTicker ticker, Tracer tracer,
            io.vertx.core.Vertx vertx, ProviderSignals signals, ProviderEndpoint endpoint, OptionalInt maxConcurrency) {
        int ceiling = maxConcurrency.orElse(config.limits().maxConcurrent());
        GatewayConfig.CircuitBreaker breaker = config.circuitBreaker();
        return new ProviderHandle(endpoint.name(), endpoint.baseUrl(),
                new TracedChatClient(new OpenAiCompatibleProvider(endpoint, vertx, signals), endpoint, tracer),
                () -> new CircuitBreaker(breaker.failureThreshold(), breaker.openDuration(), ticker),
                () -> new AdaptiveConcurrencyLimiter(ceiling, ticker));
    }

    /**
     * @param name a provider name, as a model route gives it
     * @return the provider, if one of that name is configured
     */
    public Optional<ProviderHandle> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    /** @return every provider, by name */
    public Collection<ProviderHandle> all() {
        return providers.values();
    }

    /** Forgets every provider's failures, pauses and adapted limits (see {@link ProviderHandle#resetHealth()}). */
    public void resetHealth() {
        providers.values().forEach(ProviderHandle::resetHealth);
    }
}
