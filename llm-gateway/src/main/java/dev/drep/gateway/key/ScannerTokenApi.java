package dev.drep.gateway.key;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The scanner's API tokens ({@code POST /api/tokens}, {@code DELETE /api/tokens/{id}}), called with the admin's own
 * {@code Authorization} so that the scanner's rules for its caller apply. Used only through {@link ScannerTokens}.
 */
@Path("/api/tokens")
interface ScannerTokenApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> create(@HeaderParam("Authorization") String authorization, JsonNode request);

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> revoke(@HeaderParam("Authorization") String authorization, @PathParam("id") String id);
}
