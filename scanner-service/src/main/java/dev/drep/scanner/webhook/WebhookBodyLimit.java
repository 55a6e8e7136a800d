package dev.drep.scanner.webhook;

import dev.drep.scanner.ScannerConfig;
import dev.drep.scanner.api.ApiError;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a webhook delivery whose declared body ({@code Content-Length}) is larger than
 * {@code drep.scanner.webhook.max-body-size} with a 413, before the body is read. A body without a declared
 * length (chunked) is read up to {@code quarkus.http.limits.max-body-size} and then refused by the resource.
 */
public class WebhookBodyLimit {
    private final long limit;

    public WebhookBodyLimit(ScannerConfig config) {
        this.limit = config.webhook().maxBodySize().asLongValue();
    }

    /** @return a 413 when the declared body is over the limit, else null (go on) */
    @ServerRequestFilter(preMatching = true)
    public Response checkDeclaredSize(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/webhooks/")) {
            return null;
        }
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            return null;
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return ApiError.badRequest("the Content-Length header '" + declared + "' is not a number").toResponse();
        }
        return length > limit ? tooLarge(length, limit).toResponse() : null;
    }

    static ApiError tooLarge(long length, long limit) {
        return new ApiError(413, "payload_too_large", "the delivery's body has " + length + " bytes, more than the " + limit
                + " bytes this drep accepts (drep.scanner.webhook.max-body-size); GitHub caps deliveries at 25 MB");
    }
}
