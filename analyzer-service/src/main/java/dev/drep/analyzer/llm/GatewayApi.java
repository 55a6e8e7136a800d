package dev.drep.analyzer.llm;

import dev.drep.identity.ServiceTokenHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import dev.drep.core.llm.OpenAiWire;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The LLM gateway's OpenAI-compatible front door ({@code quarkus.rest-client.llm-gateway.url}, without
 * {@code /v1}). Used only through {@link LlmGateway}, which carries the fault tolerance.
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
            @HeaderParam(OpenAiWire.JOB_HEADER) String job,
            @HeaderParam(OpenAiWire.PRIORITY_HEADER) String priority,
            @HeaderParam(OpenAiWire.TASK_CLASS_HEADER) String taskClass,
            @HeaderParam(OpenAiWire.CACHE_HEADER) String cache);

    /** Turns every error status into a {@link GatewayStatusException} carrying the OpenAI error body. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        String body;
        try {
            body = response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException unreadable) {
            body = "";
        }
        return GatewayStatusException.of(response.getStatus(), body);
    }
}
