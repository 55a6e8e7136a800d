package dev.drep.gateway.provider;

import dev.drep.gateway.GatewayConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The LLM providers the gateway can route to, by name. Today there is one, {@value #DEFAULT_PROVIDER},
 * from {@code drep.gateway.provider.*}; model aliases name the provider they run on, so more
 * providers (and fallback between them) can be added without touching the callers.
 */
@ApplicationScoped
// Built at start-up so a malformed provider URL stops the gateway at once with a clear message;
// building makes no connection, so a provider that is down never does.
@Startup
public class ProviderRegistry {

    /** Name of the provider configured under {@code drep.gateway.provider}. */
    public static final String DEFAULT_PROVIDER = "default";

    private static final Logger LOG = Logger.getLogger(ProviderRegistry.class);

    private final Map<String, OpenAiCompatibleProvider> providers;

    /**
     * @param config the gateway configuration
     */
    public ProviderRegistry(GatewayConfig config) {
        ProviderEndpoint endpoint;
        try {
            endpoint = new ProviderEndpoint(DEFAULT_PROVIDER, config.provider().baseUrl(),
                    config.provider().apiKey(), config.provider().timeout());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Check drep.gateway.provider.base-url: " + e.getMessage(), e);
        }
        // ProviderEndpoint.toString() masks the key.
        LOG.infof("LLM provider: %s", endpoint);
        this.providers = Map.of(DEFAULT_PROVIDER, new OpenAiCompatibleProvider(endpoint));
    }

    /**
     * @param name a provider name, as a model route gives it
     * @return the provider, if one of that name is configured
     */
    public Optional<OpenAiCompatibleProvider> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }
}
