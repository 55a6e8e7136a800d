package dev.drep.scanner.learning;

import dev.drep.contracts.FindingAcceptance;
import dev.drep.identity.Scopes;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/repositories/{id}/acceptance}: {@link AcceptanceResource}'s table for one registered repository
 * ({@link AcceptanceTables}). Scope {@code jobs:read}, like the jobs and findings it summarises; a token restricted to
 * a repository reads its own repository's only.
 */
@Path("/api/repositories/{id}/acceptance")
@RolesAllowed(Scopes.JOBS_READ)
@Tag(name = "repositories", description = "Repositories registered for webhooks, reviews and scans")
public class RepositoryAcceptanceResource {
    private final AcceptanceTables tables;

    public RepositoryAcceptanceResource(AcceptanceTables tables) {
        this.tables = tables;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "repositoryAcceptance", summary = "How drep's inline findings were received in the "
            + "repository's pull requests (accepted: fixed by a later push or 👍; rejected: justified or 👎), "
            + "per rule and model")
    @APIResponse(responseCode = "200", description = "one row per rule and model")
    @APIResponse(responseCode = "404", description = "no repository with this id")
    @APIResponse(responseCode = "503", description = "the review-publisher could not be asked")
    public Uni<FindingAcceptance> get(@PathParam("id") String id) {
        return tables.ofRepository(id);
    }
}
