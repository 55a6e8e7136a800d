package dev.drep.scanner.scan;

import dev.drep.core.platform.Platform;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import dev.drep.contracts.JobView;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.job.Job;
import dev.drep.scanner.job.JobKind;
import dev.drep.scanner.metrics.ScannerMetrics;
import dev.drep.scanner.planning.PlanningQueue;
import dev.drep.scanner.repository.RegisteredRepository;
import dev.drep.scanner.repository.RepositoryResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/scans}: queues a scan of a registered repository's default branch, incremental from the
 * last finished scan unless {@code full}. The branch tip is read when the job is planned.
 */
@Path("/api/scans")
@RolesAllowed(Scopes.REVIEWS_WRITE)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scans", description = "Repository scans that open issues for what they find")
public class ScanResource {
    private final SecurityIdentity caller;
    private static final Logger LOG = Logger.getLogger(ScanResource.class);

    private final PlanningQueue planning;
    private final ScannerMetrics metrics;

    public ScanResource(PlanningQueue planning, ScannerMetrics metrics, SecurityIdentity caller) {
        this.caller = caller;
        this.planning = planning;
        this.metrics = metrics;
    }

    @POST
    @Operation(operationId = "requestScan", summary = "Scan a registered repository's default branch")
    @APIResponse(responseCode = "202", description = "the job, queued", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "400", description = "a field is missing or invalid")
    @APIResponse(responseCode = "404", description = "no such registered repository")
    public Uni<Response> scan(ScanRequest request) {
        if (request == null) {
            throw ApiError.badRequest("the request body is required: {\"repositoryId\": \"...\"} or "
                    + "{\"platform\": \"github\", \"repository\": \"owner/name\"}");
        }
        Uni<RegisteredRepository> registered;
        if (request.repositoryId() != null) {
            UUID id = RepositoryResource.parseId(request.repositoryId());
            registered = Panache.withSession(() -> RegisteredRepository.<RegisteredRepository>findById(id))
                    .onItem().ifNull().failWith(() -> ApiError.notFound("no repository with id " + request.repositoryId()));
        } else {
            Platform platform = Platform.fromId(request.platform()).orElseThrow(() -> ApiError.badRequest(
                    "field 'repositoryId' or fields 'platform' (" + Platform.names() + ") and 'repository' are required"));
            if (request.repository() == null || request.repository().isBlank()) {
                throw ApiError.badRequest("field 'repository' is required: the repository's full name, e.g. owner/name");
            }
            registered = Panache.withSession(() -> RegisteredRepository.findByName(platform, request.repository()))
                    .onItem().ifNull().failWith(() -> ApiError.notFound("no " + platform.id() + " repository '"
                            + request.repository() + "' is registered: register it with POST /api/repositories"));
        }
        return registered.invoke(repository -> Callers.requireRepository(caller, repository.fullName)).chain(repository -> {
            Job job = Job.scan(repository.id, repository.fullName, repository.defaultBranch, null);
            job.fullScan = Boolean.TRUE.equals(request.full());
            return Panache.withTransaction(job::persist).replaceWith(job);
        })
                .call(job -> planning.enqueue(job.id))
                .map(job -> {
                    metrics.jobAccepted(JobKind.SCAN);
                    LOG.infof("job %s accepted: %s scan of %s", job.id, job.fullScan ? "full" : "incremental", job.repository);
                    return Response.accepted(job.view()).build();
                });
    }
}
