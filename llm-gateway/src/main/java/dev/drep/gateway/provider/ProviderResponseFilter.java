package dev.drep.gateway.provider;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * Reads the rate-limit headers of every provider response ({@code Retry-After}, OpenAI's
 * {@code x-ratelimit-*}). Registered for all REST clients of the gateway, which are the
 * quarkus-langchain4j provider clients; it reads headers only and never logs.
 */
@Provider
public class ProviderResponseFilter implements ClientResponseFilter {

    private static final Logger LOG = Logger.getLogger(ProviderResponseFilter.class);

    private final ProviderSignals signals;

    /**
     * @param signals where the waits go
     */
    public ProviderResponseFilter(ProviderSignals signals) {
        this.signals = signals;
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        // The client runs response filters for failed calls too (timeouts, dropped connections);
        // those have no headers, and nothing to say about rate limits.
        if (response.getHeaders() == null) {
            return;
        }
        try {
            signals.onResponse(request.getUri(), response.getStatus(), response::getHeaderString);
        } catch (RuntimeException e) {
            // Reading hints must never change the outcome of the call itself.
            LOG.warnf("Could not read the rate-limit headers of a provider response (%s)", e.getClass().getName());
        }
    }
}
