package dev.drep.scanner.learning;

import dev.drep.contracts.RepositoryLearnings;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.planning.ReviewPublisher;
import dev.drep.scanner.repository.RegisteredRepository;
import dev.drep.scanner.repository.RepositoryResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code /api/repositories/{id}/learnings}: what drep learned from feedback on a repository's pull requests
 * (docs/architecture.md, "Learning from feedback"). The review-publisher keeps the learnings (it posts, and suppresses
 * what a repository keeps rejecting); this resource names the registered repository to it.
 */
@Path("/api/repositories/{id}/learnings")
@RolesAllowed(Scopes.REPOSITORIES_ADMIN)
@Tag(name = "repositories", description = "Repositories registered for webhooks, reviews and scans")
public class LearningResource {
    private static final Logger LOG = Logger.getLogger(LearningResource.class);
    static final String DREP_YAML = "drep-yaml";

    private final ReviewPublisher publisher;
    private final SecurityIdentity caller;

    public LearningResource(ReviewPublisher publisher, SecurityIdentity caller) {
        this.publisher = publisher;
        this.caller = caller;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "application/yaml"})
    @Operation(operationId = "listLearnings", summary = "What drep learned from feedback on the repository's pull "
            + "requests; format=drep-yaml gives the .drep.yaml lines that reproduce its suppressions")
    @APIResponse(responseCode = "200", description = "the learnings (JSON), or .drep.yaml lines (format=drep-yaml)")
    @APIResponse(responseCode = "400", description = "an unknown format")
    @APIResponse(responseCode = "404", description = "no repository with this id")
    @APIResponse(responseCode = "503", description = "the review-publisher could not be asked")
    public Uni<Response> list(@PathParam("id") String id, @QueryParam("format") String format) {
        Callers.requireUnrestricted(caller, "reading a repository's learnings");
        boolean yaml = DREP_YAML.equals(format);
        if (format != null && !format.isBlank() && !yaml && !"json".equals(format)) {
            throw ApiError.badRequest("unknown format '" + format + "': use json (the default) or " + DREP_YAML);
        }
        return repository(id).chain(repository -> publisher.learnings(repository.snapshot())
                .onFailure().transform(LearningResource::unavailable)
                .map(learnings -> yaml
                        ? Response.ok(drepYaml(repository.fullName, learnings), "application/yaml").build()
                        : Response.ok(learnings, MediaType.APPLICATION_JSON).build()));
    }

    @DELETE
    @Path("/{learningId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "deleteLearning", summary = "Forget one learning: its finding may be raised again, its rule "
            + "counts one rejection less")
    @APIResponse(responseCode = "204", description = "forgotten")
    @APIResponse(responseCode = "404", description = "no repository with this id, or no such learning there")
    @APIResponse(responseCode = "503", description = "the review-publisher could not be asked")
    public Uni<Response> delete(@PathParam("id") String id, @PathParam("learningId") String learningId) {
        Callers.requireUnrestricted(caller, "removing a repository's learning");
        return repository(id).chain(repository -> publisher.forget(repository.snapshot(), learningId)
                .onFailure().transform(LearningResource::unavailable)
                .map(forgotten -> {
                    if (!forgotten) {
                        throw ApiError.notFound("no learning with id '" + learningId + "' in " + repository.fullName
                                + ": GET /api/repositories/" + id + "/learnings lists them");
                    }
                    LOG.infof("learning %s of %s forgotten by %s", learningId, repository.fullName,
                            caller.getPrincipal().getName());
                    return Response.noContent().build();
                }));
    }

    /**
     * @return the {@code .drep.yaml} lines that suppress what the repository's learnings suppress, so that a team can
     *     keep them in the repository (and forget the learnings)
     */
    static String drepYaml(String repository, RepositoryLearnings learnings) {
        List<RepositoryLearnings.RuleTally> suppressed = learnings.rules().stream()
                .filter(RepositoryLearnings.RuleTally::suppressed).toList();
        StringBuilder yaml = new StringBuilder("# drep's learnings on ").append(repository).append(": rules whose findings ")
                .append("were justified ").append(learnings.suppressAfter()).append(" or more times\n");
        if (suppressed.isEmpty()) {
            return yaml.append("suppress-rules: []\n").toString();
        }
        yaml.append("suppress-rules:\n");
        for (RepositoryLearnings.RuleTally rule : suppressed) {
            yaml.append("  - \"").append(rule.rule().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\"  # justified ").append(rule.rejected()).append(" times\n");
        }
        return yaml.toString();
    }

    private static Uni<RegisteredRepository> repository(String id) {
        return Panache.withSession(() -> RegisteredRepository
                .<RegisteredRepository>findById(RepositoryResource.parseId(id))
                .onItem().ifNull().failWith(() -> ApiError.notFound("no repository with id " + id)));
    }

    private static Throwable unavailable(Throwable e) {
        return e instanceof ApiError ? e : new ApiError(503, "publisher_unavailable", e.getMessage()
                + "; try again later");
    }
}
