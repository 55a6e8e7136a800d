package dev.drep.publisher.feedback;

import dev.drep.contracts.ErrorBody;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.RepositoryLearnings;
import dev.drep.identity.Scopes;
import dev.drep.publisher.platform.Platforms;
import dev.drep.publisher.posting.ScopeKeys;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code /internal/learnings}: a repository's learnings ({@link Learnings}), for the scanner's
 * {@code GET /api/repositories/{id}/learnings} and {@code DELETE .../learnings/{learningId}}. The repository is named as
 * in a pull request reference (platform, API URL, full name).
 */
@Path("/internal/learnings")
@RolesAllowed(Scopes.PUBLISHER_INTERNAL)
@Produces(MediaType.APPLICATION_JSON)
public class LearningsResource {
    private final Learnings learnings;
    private final Platforms platforms;

    public LearningsResource(Learnings learnings, Platforms platforms) {
        this.learnings = learnings;
        this.platforms = platforms;
    }

    @GET
    @Blocking
    @Operation(operationId = "listLearnings", summary = "A repository's learnings from feedback, and the rules suppressed there")
    @APIResponse(responseCode = "200", description = "the learnings (none: empty lists)")
    @APIResponse(responseCode = "400", description = "the repository is not named (platform, apiUrl, repository)")
    public Response list(@QueryParam("platform") String platform, @QueryParam("apiUrl") String apiUrl,
            @QueryParam("repository") String repository) {
        String problem = problem(platform, apiUrl, repository);
        if (problem != null) {
            return error(400, "invalid_request", problem);
        }
        RepositoryLearnings found = learnings.of(ScopeKeys.repositoryKey(ref(platform, apiUrl, repository)));
        return Response.ok(found).type(MediaType.APPLICATION_JSON).build();
    }

    @DELETE
    @Path("/{learningId}")
    @Blocking
    @Operation(operationId = "forgetLearning", summary = "Forget one learning of a repository")
    @APIResponse(responseCode = "204", description = "forgotten")
    @APIResponse(responseCode = "400", description = "the repository is not named (platform, apiUrl, repository)")
    @APIResponse(responseCode = "404", description = "no such learning in this repository")
    public Response forget(@PathParam("learningId") String learningId, @QueryParam("platform") String platform,
            @QueryParam("apiUrl") String apiUrl, @QueryParam("repository") String repository) {
        String problem = problem(platform, apiUrl, repository);
        if (problem != null) {
            return error(400, "invalid_request", problem);
        }
        UUID id;
        try {
            id = UUID.fromString(learningId);
        } catch (IllegalArgumentException e) {
            return error(404, "not_found", "no learning with id '" + learningId + "' (learning ids are UUIDs)");
        }
        return learnings.forget(ScopeKeys.repositoryKey(ref(platform, apiUrl, repository)), id)
                ? Response.noContent().build()
                : error(404, "not_found", "no learning with id " + learningId + " in " + repository);
    }

    private String problem(String platform, String apiUrl, String repository) {
        return platform == null || !platforms.supports(platform) || blank(apiUrl) || blank(repository)
                ? "query parameters 'platform' (gitea, github, gitlab), 'apiUrl' and 'repository' are required" : null;
    }

    private static PullRequestRef ref(String platform, String apiUrl, String repository) {
        return new PullRequestRef(platform, apiUrl, repository, null, 0, null, null, null, null);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(code, message)).build();
    }
}
