package dev.drep.gateway.provider;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * One OpenAI-compatible provider (OpenAI, vLLM, LM Studio, llama.cpp, Ollama's {@code /v1}), reached over OpenAI's
 * wire format with Vert.x's non-blocking HTTP client ({@link OpenAiWireClient}): every request, whole or streamed,
 * with or without tools, goes the same way, and no thread waits for a provider. It turns every outcome into a
 * {@link ProviderResult}: failures never leave it, and nothing it reports or logs contains the API key. One instance
 * serves every model of its provider: the model name travels with each request.
 */
public final class OpenAiCompatibleProvider implements ChatClient {

    private static final Logger LOG = Logger.getLogger(OpenAiCompatibleProvider.class);

    private final ProviderEndpoint endpoint;
    private final OpenAiWireClient wire;

    /**
     * Builds the client; no connection is made until the first call, so an unreachable provider
     * never prevents the gateway from starting.
     *
     * @param endpoint where the provider is
     * @param vertx    the application's Vert.x, whose HTTP client carries the calls
     * @param signals  where the provider's rate-limit headers go
     */
    public OpenAiCompatibleProvider(ProviderEndpoint endpoint, io.vertx.core.Vertx vertx, ProviderSignals signals) {
        this.endpoint = endpoint;
        this.wire = new OpenAiWireClient(endpoint, vertx, signals, new ProviderFailureClassifier(endpoint));
    }

    /** @return where this provider is */
    public ProviderEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Runs one chat completion; the call starts on subscription and ends when the provider answers, fails or times
     * out.
     *
     * @param request the completion
     * @return the answer, or why there is none; never fails
     */
    @Override
    public Uni<ProviderResult> chat(ProviderRequest request) {
        return wire.chat(request).invoke(result -> {
            if (result instanceof ProviderResult.Failed failed) {
                // Only the classified message: the provider's raw error text is safe only after redaction.
                LOG.warnf("Provider '%s' failed for model '%s': %s: %s", endpoint.name(), request.model(),
                        failed.kind(), failed.message());
            }
        });
    }
}
