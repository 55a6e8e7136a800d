package dev.drep.scanner.learning;

import dev.drep.contracts.FindingAcceptance;
import dev.drep.identity.Scopes;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/acceptance}: how drep's inline findings were received in every repository's pull requests, per rule
 * and model ({@link AcceptanceTables}); the dashboard shows the same table. Scope {@code jobs:read} and a token not
 * restricted to one repository, like the dashboard.
 */
@Path("/api/acceptance")
@RolesAllowed(Scopes.JOBS_READ)
@Tag(name = "jobs", description = "Reviews and scans, from request to final status")
public class AcceptanceResource {
    private final AcceptanceTables tables;

    public AcceptanceResource(AcceptanceTables tables) {
        this.tables = tables;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "acceptance", summary = "How drep's inline findings were received in all repositories "
            + "(accepted: fixed by a later push or 👍; rejected: justified or 👎), per rule and model")
    @APIResponse(responseCode = "200", description = "one row per rule and model")
    @APIResponse(responseCode = "503", description = "the review-publisher could not be asked")
    public Uni<FindingAcceptance> get() {
        return tables.everyRepository();
    }
}
