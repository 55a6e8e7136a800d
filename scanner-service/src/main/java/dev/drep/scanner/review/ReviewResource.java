package dev.drep.scanner.review;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import dev.drep.contracts.JobView;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.ReviewRequest;
import dev.drep.core.git.LocalRepositories;
import dev.drep.core.git.RepositoryProblem;
import dev.drep.core.git.RevisionRange;
import dev.drep.core.git.Revisions;
import dev.drep.core.local.FolderRoots;
import dev.drep.core.platform.HostRuleViolation;
import dev.drep.core.platform.Platform;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.job.Job;
import dev.drep.scanner.job.JobKind;
import dev.drep.scanner.metrics.ScannerMetrics;
import dev.drep.scanner.planning.PlanningQueue;
import dev.drep.scanner.platform.PlatformProblem;
import dev.drep.scanner.platform.PullRequestInfo;
import dev.drep.scanner.platform.PullRequestLookup;
import dev.drep.scanner.repository.RegisteredRepository;
import dev.drep.scanner.repository.RepositoryResource;
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
import java.util.List;
import java.util.UUID;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/reviews}: checks the repository and revisions (or the pull request, through the
 * platform's API) at once, so a typo is a 400 or 404 and not a failed job; records the job and queues its
 * planning; answers 202 with the job.
 */
@Path("/api/reviews")
@RolesAllowed(Scopes.REVIEWS_WRITE)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "reviews", description = "Reviews of local revisions or of platform pull requests")
public class ReviewResource {
    private final SecurityIdentity caller;
    private static final Logger LOG = Logger.getLogger(ReviewResource.class);

    private final Vertx vertx;
    private final PlanningQueue planning;
    private final PullRequestLookup pullRequests;
    private final ScannerMetrics metrics;

    private final LocalReviewsConfig local;
    private final FolderRoots repositoryRoots;
    private final FolderRoots outputRoots;

    public ReviewResource(Vertx vertx, PlanningQueue planning, PullRequestLookup pullRequests, ScannerMetrics metrics,
            LocalReviewsConfig local, SecurityIdentity caller) {
        this.local = local;
        this.repositoryRoots = new FolderRoots(local.roots().orElse(List.of()));
        this.outputRoots = new FolderRoots(local.outputRoots().orElse(List.of()));
        this.caller = caller;
        this.vertx = vertx;
        this.planning = planning;
        this.pullRequests = pullRequests;
        this.metrics = metrics;
    }

    @POST
    @Operation(operationId = "requestReview", summary = "Review local revisions, or a pull request of a registered repository")
    @APIResponse(responseCode = "202", description = "the job, queued (or DONE at once when there is nothing to review)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "400", description = "a field is missing or invalid, not a git repository, or an unknown revision")
    @APIResponse(responseCode = "404", description = "no such registered repository or pull request")
    @APIResponse(responseCode = "409", description = "the pull request is closed")
    @APIResponse(responseCode = "502", description = "the platform could not be asked about the pull request")
    public Uni<Response> submit(ReviewRequest request) {
        if (request != null && request.isPullRequest()) {
            return submitPullRequest(request);
        }
        Callers.requireUnrestricted(caller, "a review of a local repository");
        validate(request);
        if (!local.enabled()) {
            throw ApiError.badRequest("reviews of local paths are off in this service (drep.scanner.local-reviews.enabled"
                    + "=false): register the repository and review its pull requests, or use the drep launcher's own stack");
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> resolve(request)))
                .chain(range -> Panache.withTransaction(() -> newJob(request, range).persist()).map(Job.class::cast))
                .call(job -> job.status == JobStatus.QUEUED ? planning.enqueue(job.id) : Uni.createFrom().voidItem())
                .map(job -> {
                    metrics.jobAccepted(JobKind.LOCAL);
                    if (job.status.isFinal()) {
                        metrics.jobFinished(JobKind.LOCAL, job.status);
                    }
                    LOG.infof("job %s accepted: %s %s..%s", job.id, job.repository, job.baseCommit, job.headCommit);
                    return Response.accepted(job.view()).build();
                });
    }

    private Uni<Response> submitPullRequest(ReviewRequest request) {
        if (request.number() == null || request.number() < 1) {
            throw ApiError.badRequest("field 'number' is required for a pull request review: the pull request number "
                    + "(GitLab: the merge request iid)");
        }
        if (request.base() != null || request.head() != null) {
            throw ApiError.badRequest("fields 'base' and 'head' do not apply to a pull request review: the pull request "
                    + "defines them");
        }
        Uni<RegisteredRepository> registered;
        if (request.repositoryId() != null) {
            UUID id = RepositoryResource.parseId(request.repositoryId());
            registered = Panache.withSession(() -> RegisteredRepository.<RegisteredRepository>findById(id))
                    .onItem().ifNull().failWith(() -> ApiError.notFound("no repository with id " + request.repositoryId()));
        } else {
            Platform platform = Platform.fromId(request.platform()).orElseThrow(() -> ApiError.badRequest(
                    "field 'platform' must be one of " + Platform.names() + " (or give 'repositoryId'), got '"
                            + request.platform() + "'"));
            if (request.repository() == null || request.repository().isBlank()) {
                throw ApiError.badRequest("field 'repository' is required: the repository's full name, e.g. owner/name");
            }
            registered = Panache.withSession(() -> RegisteredRepository.findByName(platform, request.repository()))
                    .onItem().ifNull().failWith(() -> ApiError.notFound("no " + platform.id() + " repository '"
                            + request.repository() + "' is registered: register it with POST /api/repositories"));
        }
        registered = registered.invoke(repository -> Callers.requireRepository(caller, repository.fullName));
        int number = request.number();
        return registered.chain(repository -> vertx.executeBlocking(Uni.createFrom().item(() -> lookUp(repository, number)))
                .chain(info -> Panache.withTransaction(() -> Job.pullRequest(repository.id, repository.fullName, number,
                        info.baseRef(), info.baseSha(), info.headSha(), info.author()).persist()).map(Job.class::cast)))
                .call(job -> planning.enqueue(job.id))
                .map(job -> {
                    metrics.jobAccepted(JobKind.PULL_REQUEST);
                    LOG.infof("job %s accepted: pull request #%d of %s at %s", job.id, number, job.repository, job.headCommit);
                    return Response.accepted(job.view()).build();
                });
    }

    private PullRequestInfo lookUp(RegisteredRepository repository, int number) {
        PullRequestInfo info;
        try {
            info = pullRequests.find(repository.snapshot(), number);
        } catch (HostRuleViolation e) {
            throw ApiError.badRequest(e.getMessage());
        } catch (PlatformProblem e) {
            throw e.notFound() ? ApiError.notFound(e.getMessage()) : new ApiError(502, "platform_error", e.getMessage());
        }
        if (!info.open()) {
            throw new ApiError(409, "conflict", "pull request #" + number + " of " + repository.fullName
                    + " is closed: nothing to review");
        }
        return info;
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

    private RevisionRange resolve(ReviewRequest request) {
        // one answer for every path outside the roots, existing or not, git repository or not
        java.nio.file.Path path = repositoryRoots.contain(request.repository()).orElseThrow(() -> ApiError.badRequest(
                "field 'repository' must be a local git repository under one of the folders of "
                        + "drep.scanner.local-reviews.roots " + repositoryRoots.roots()));
        if (outputRoots.contain(request.outputDir()).isEmpty()) {
            throw ApiError.badRequest("field 'outputDir' must be under one of the folders of "
                    + "drep.scanner.local-reviews.output-roots " + outputRoots.roots());
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
