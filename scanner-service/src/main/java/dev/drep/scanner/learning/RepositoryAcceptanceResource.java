package dev.drep.scanner.learning;

import dev.drep.contracts.FindingAcceptance;
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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/repositories/{id}/acceptance}: how drep's inline findings were received in a repository's pull
 * requests, per rule and model (docs/architecture.md, "Learning from feedback"). The review-publisher counts them; this
 * resource names the registered repository to it. Scope {@code jobs:read}, like the jobs and findings it summarises; a
 * token restricted to a repository reads its own repository's only.
 */
@Path("/api/repositories/{id}/acceptance")
@RolesAllowed(Scopes.JOBS_READ)
@Tag(name = "repositories", description = "Repositories registered for webhooks, reviews and scans")
public class RepositoryAcceptanceResource {
    private final ReviewPublisher publisher;
    private final SecurityIdentity caller;

    public RepositoryAcceptanceResource(ReviewPublisher publisher, SecurityIdentity caller) {
        this.publisher = publisher;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "repositoryAcceptance", summary = "How drep's inline findings were received in the "
            + "repository's pull requests (accepted: fixed by a later push or 👍; rejected: justified or 👎), per rule "
            + "and model")
    @APIResponse(responseCode = "200", description = "one row per rule and model")
    @APIResponse(responseCode = "404", description = "no repository with this id")
    @APIResponse(responseCode = "503", description = "the review-publisher could not be asked")
    public Uni<FindingAcceptance> get(@PathParam("id") String id) {
        return Panache.withSession(() -> RegisteredRepository
                        .<RegisteredRepository>findById(RepositoryResource.parseId(id))
                        .onItem().ifNull().failWith(() -> ApiError.notFound("no repository with id " + id)))
                .invoke(repository -> Callers.requireRepository(caller, repository.fullName))
                .chain(repository -> publisher.acceptance(repository.snapshot())
                        .onFailure().transform(AcceptanceResource::unavailable));
    }
}
