package dev.drep.scanner.review;

import dev.drep.contracts.JobStatus;
import dev.drep.contracts.ReviewRequest;
import dev.drep.core.git.LocalRepositories;
import dev.drep.core.git.RepositoryProblem;
import dev.drep.core.git.RevisionRange;
import dev.drep.core.git.Revisions;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.job.Job;
import dev.drep.scanner.planning.PlanningQueue;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.jgit.lib.Repository;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/reviews}: checks the repository and revisions at once (so a typo is a 400, not a
 * failed job), records the job and queues its planning; answers 202 with the job.
 */
@Path("/api/reviews")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {
    private static final Logger LOG = Logger.getLogger(ReviewResource.class);

    private final Vertx vertx;
    private final PlanningQueue planning;

    public ReviewResource(Vertx vertx, PlanningQueue planning) {
        this.vertx = vertx;
        this.planning = planning;
    }

    @POST
    public Uni<Response> submit(ReviewRequest request) {
        validate(request);
        return vertx.executeBlocking(Uni.createFrom().item(() -> resolve(request)))
                .chain(range -> Panache.withTransaction(() -> newJob(request, range).persist()).map(Job.class::cast))
                .call(job -> job.status == JobStatus.QUEUED ? planning.enqueue(job.id) : Uni.createFrom().voidItem())
                .map(job -> {
                    LOG.infof("job %s accepted: %s %s..%s", job.id, job.repository, job.baseCommit, job.headCommit);
                    return Response.accepted(job.view()).build();
                });
    }

    private static void validate(ReviewRequest request) {
        if (request == null) {
            throw ApiError.badRequest("the request body is required: {\"repository\": \"/path/to/repo\", \"outputDir\": \"/path/to/out\"}");
        }
        if (request.repository() == null || request.repository().isBlank()) {
            throw ApiError.badRequest("field 'repository' is required: a local path to a git repository");
        }
        if (request.outputDir() == null || request.outputDir().isBlank()) {
            throw ApiError.badRequest("field 'outputDir' is required: the folder the local review files are written to");
        }
        try {
            if (!Paths.get(request.outputDir()).isAbsolute()) {
                throw ApiError.badRequest("field 'outputDir' must be an absolute path, got '" + request.outputDir() + "'");
            }
        } catch (InvalidPathException e) {
            throw ApiError.badRequest("field 'outputDir' is not a valid path: " + e.getMessage());
        }
    }

    private static RevisionRange resolve(ReviewRequest request) {
        java.nio.file.Path path;
        try {
            path = Paths.get(request.repository()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ApiError.badRequest("field 'repository' is not a valid path: " + e.getMessage());
        }
        try (Repository repository = LocalRepositories.open(path)) {
            return Revisions.resolve(repository, request.base(), request.head());
        } catch (RepositoryProblem e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static Job newJob(ReviewRequest request, RevisionRange range) {
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.repository = Paths.get(request.repository()).toAbsolutePath().normalize().toString();
        job.baseRevision = request.base();
        job.headRevision = request.head();
        job.baseCommit = range.base();
        job.headCommit = range.head();
        job.outputDir = request.outputDir();
        job.createdAt = Instant.now();
        job.status = JobStatus.QUEUED;
        if (range.isEmpty()) {
            job.finish(JobStatus.DONE, "nothing to review: base and head are the same commit " + range.head());
        }
        return job;
    }
}
