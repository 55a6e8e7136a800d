package dev.drep.publisher.feedback;

import dev.drep.contracts.ErrorBody;
import dev.drep.contracts.PullRequestRef;
import dev.drep.identity.Scopes;
import dev.drep.publisher.platform.Platforms;
import dev.drep.publisher.posting.ScopeKeys;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code /internal/acceptance}: the acceptance of drep's inline findings per rule and model ({@link Acceptance}), of one
 * repository (named as in a pull request reference: platform, API URL, full name) or, without a repository, of all,
 * for the scanner's {@code GET /api/repositories/{id}/acceptance}, {@code GET /api/acceptance} and its dashboard.
 */
@Path("/internal/acceptance")
@RolesAllowed(Scopes.PUBLISHER_INTERNAL)
@Produces(MediaType.APPLICATION_JSON)
public class AcceptanceResource {
    private final Acceptance acceptance;
    private final Platforms platforms;

    public AcceptanceResource(Acceptance acceptance, Platforms platforms) {
        this.acceptance = acceptance;
        this.platforms = platforms;
    }

    @GET
    @Blocking
    @Operation(operationId = "findingAcceptance", summary = "How drep's inline findings were received (accepted, "
            + "rejected) per rule and model, in one repository or in all")
    @APIResponse(responseCode = "200", description = "the acceptance per rule and model (no findings: no rows)")
    @APIResponse(responseCode = "400", description = "the repository is named in part (give platform, apiUrl and "
            + "repository, or none of them)")
    public Response get(@QueryParam("platform") String platform, @QueryParam("apiUrl") String apiUrl,
            @QueryParam("repository") String repository) {
        if (blank(platform) && blank(apiUrl) && blank(repository)) {
            return Response.ok(acceptance.of(null)).type(MediaType.APPLICATION_JSON).build();
        }
        if (platform == null || !platforms.supports(platform) || blank(apiUrl) || blank(repository)) {
            return Response.status(400).type(MediaType.APPLICATION_JSON).entity(new ErrorBody("invalid_request",
                    "query parameters 'platform' (gitea, github, gitlab), 'apiUrl' and 'repository' name one "
                            + "repository; give all three, or none for every repository")).build();
        }
        PullRequestRef ref = new PullRequestRef(platform, apiUrl, repository, null, 0, null, null, null, null);
        return Response.ok(acceptance.of(ScopeKeys.repositoryKey(ref))).type(MediaType.APPLICATION_JSON).build();
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
