package dev.drep.gateway.model;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import dev.drep.identity.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/models}: the model aliases of the gateway, as OpenAI lists models. */
@Path("/v1/models")
@RolesAllowed(Scopes.LLM_USE)
public class ModelsResource {

    private final ModelCatalog catalog;

    /**
     * @param catalog the aliases
     */
    public ModelsResource(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /** @return the aliases, sorted; provider model names stay internal */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listModels", summary = "The model aliases the gateway serves, in OpenAI's format")
    @APIResponse(responseCode = "200")
    public ModelList list() {
        long created = catalog.loadedAt().getEpochSecond();
        return new ModelList("list", catalog.routes().keySet().stream()
                .map(alias -> new ModelList.Model(alias, "model", created, "drep"))
                .toList());
    }
}
