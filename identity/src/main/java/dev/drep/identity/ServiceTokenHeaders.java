package dev.drep.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * Adds this service's token ({@link IdentityConfig#serviceToken()}) to its calls to other drep services:
 * {@code @RegisterClientHeaders(ServiceTokenHeaders.class)} on a REST client interface.
 */
@ApplicationScoped
public class ServiceTokenHeaders implements ClientHeadersFactory {
    private final IdentityConfig config;

    public ServiceTokenHeaders(IdentityConfig config) {
        this.config = config;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming, MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        config.serviceToken().filter(t -> !t.isBlank())
                .ifPresent(token -> headers.putSingle("Authorization", "Bearer " + token.trim()));
        return headers;
    }
}
