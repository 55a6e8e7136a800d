package dev.drep.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration of the llm-gateway ({@code drep.gateway.*}; each property also reads from the
 * matching environment variable, e.g. {@code DREP_GATEWAY_PROVIDER_BASE_URL}).
 */
@ConfigMapping(prefix = "drep.gateway")
public interface GatewayConfig {

    /** Name of the model alias that {@link #defaultModel()} defines. */
    String DEFAULT_ALIAS = "default";

    /** The OpenAI-compatible provider that completions are forwarded to. */
    Provider provider();

    /** Provider model name served under the alias {@code default}. */
    @WithDefault("llama3.2")
    String defaultModel();

    /** Further model aliases clients may request, each mapped to a provider model name (an entry {@code default} overrides {@link #defaultModel()}). */
    Map<String, String> models();

    /** Where and how the gateway reaches its LLM provider. */
    interface Provider {

        /** Base URL of the provider's OpenAI-compatible API, up to and including {@code /v1} (the default is Ollama's). */
        @WithDefault("http://localhost:11434/v1")
        String baseUrl();

        /** Bearer token sent to the provider; leave unset for local providers that need none. Never logged. */
        Optional<String> apiKey();

        /** How long one provider call may take before the gateway answers 504 (whole seconds, at least 1 s). */
        @WithDefault("120s")
        Duration timeout();
    }
}
