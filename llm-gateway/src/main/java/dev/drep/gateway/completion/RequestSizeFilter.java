package dev.drep.gateway.completion;

import dev.drep.gateway.GatewayConfig;
import dev.drep.gateway.error.ErrorMappers;
import dev.drep.gateway.error.GatewayException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses an oversized chat-completion body by its {@code Content-Length}, before it is read, with
 * a 400 that names the limit ({@code drep.gateway.max-request-bytes}).
 */
public class RequestSizeFilter {

    private final int maxRequestBytes;

    /**
     * @param config the gateway configuration
     */
    public RequestSizeFilter(GatewayConfig config) {
        this.maxRequestBytes = config.maxRequestBytes();
    }

    /**
     * @param request the request
     * @return a 400 when the declared body is larger than the limit, else {@code null} (go on)
     */
    @ServerRequestFilter(preMatching = true)
    public Response checkDeclaredSize(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/v1/chat/completions")) {
            return null;
        }
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            return null;
        }
        try {
            if (Long.parseLong(declared.trim()) <= maxRequestBytes) {
                return null;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return ErrorMappers.toResponse(tooLarge(maxRequestBytes));
    }

    /**
     * @param limit the limit in bytes
     * @return the 400 for a body over it
     */
    static GatewayException tooLarge(int limit) {
        return GatewayException.invalidRequest(null, "request_too_large", "The request body is larger than the "
                + "gateway accepts (" + limit + " bytes, drep.gateway.max-request-bytes); send less content per "
                + "request.");
    }
}
