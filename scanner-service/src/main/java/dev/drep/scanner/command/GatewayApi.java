package dev.drep.scanner.command;

import dev.drep.core.llm.OpenAiWire;
import dev.drep.identity.ServiceTokenHeaders;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The LLM gateway's OpenAI-compatible front door ({@code quarkus.rest-client.llm-gateway.url}, without {@code /v1}),
 * as the analyzer calls it. Used only through {@link LlmGateway}, which maps failures to answers a person reads.
 */
@RegisterRestClient(configKey = "llm-gateway")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/v1/chat/completions")
interface GatewayApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> complete(String body,
            @HeaderParam(OpenAiWire.REPOSITORY_HEADER) String repository,
            @HeaderParam(OpenAiWire.PRIORITY_HEADER) String priority,
            @HeaderParam(OpenAiWire.TASK_CLASS_HEADER) String taskClass);

    /** Turns every error status into a {@link GatewayStatus} carrying the OpenAI error body. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        String body;
        try {
            body = response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException unreadable) {
            body = "";
        }
        return new GatewayStatus(response.getStatus(), body);
    }

    /** The gateway answered with an error status. */
    final class GatewayStatus extends RuntimeException {
        final int status;
        final String body;

        GatewayStatus(int status, String body) {
            super("HTTP " + status);
            this.status = status;
            this.body = body;
        }
    }
}
