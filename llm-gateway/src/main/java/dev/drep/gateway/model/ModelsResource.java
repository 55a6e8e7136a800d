package dev.drep.gateway.model;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import dev.drep.gateway.key.Keys;
import dev.drep.identity.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
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
    private final Keys keys;
    private final SecurityIdentity caller;

    /**
     * @param catalog the aliases
     * @param keys    the caller's key, if it is one
     * @param caller  who asks
     */
    public ModelsResource(ModelCatalog catalog, Keys keys, SecurityIdentity caller) {
        this.catalog = catalog;
        this.keys = keys;
        this.caller = caller;
    }

    /** @return the aliases (those a key may use, for a key), sorted; provider model names stay internal */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listModels", summary = "The model aliases the gateway serves, in OpenAI's format")
    @APIResponse(responseCode = "200")
    public Uni<ModelList> list() {
        long created = catalog.loadedAt().getEpochSecond();
        return keys.of(caller).map(key -> new ModelList("list", catalog.routes().keySet().stream()
                .filter(alias -> key == null || key.allows(alias))
                .map(alias -> new ModelList.Model(alias, "model", created, "drep"))
                .toList()));
    }
}
