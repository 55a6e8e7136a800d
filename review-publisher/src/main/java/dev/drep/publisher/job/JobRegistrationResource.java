package dev.drep.publisher.job;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import dev.drep.identity.Scopes;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.ErrorBody;
import dev.drep.contracts.JobFailure;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.publisher.platform.PlatformException;
import dev.drep.publisher.platform.Platforms;
import dev.drep.publisher.posting.ScopeKeys;
import dev.drep.publisher.pullrequest.StatusReporter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.jboss.logging.MDC;

/**
 * {@code PUT /internal/jobs/{jobId}}: the scanner registers a job's plan before publishing its units.
 * Idempotent: registering the same job again changes nothing. For a pull request, registering a new job
 * sets drep's status on the head commit to pending before answering.
 */
@Path("/internal/jobs")
@RolesAllowed(Scopes.PUBLISHER_INTERNAL)
public class JobRegistrationResource {
    private final ObjectMapper json;
    private final ReviewCompletion completion;
    private final StatusReporter status;
    private final Platforms platforms;
    private final Vertx vertx;

    public JobRegistrationResource(ObjectMapper json, ReviewCompletion completion, StatusReporter status,
            Platforms platforms, Vertx vertx) {
        this.json = json;
        this.completion = completion;
        this.status = status;
        this.platforms = platforms;
        this.vertx = vertx;
    }

    @PUT
    @Path("/{jobId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "registerJobPlan", summary = "Register the plan of a job (idempotent: the same plan again is accepted)")
    @APIResponse(responseCode = "204", description = "registered")
    @APIResponse(responseCode = "400", description = "the plan is invalid (the answer names the field)")
    public Uni<Response> register(@PathParam("jobId") String jobId, JobPlan plan) {
        // the request's own Vert.x context: its log lines name the job
        MDC.put(ReviewCompletion.JOB_LOG_KEY, jobId);
        if (plan == null || !jobId.equals(plan.jobId())) {
            return badRequest("the body must be the JobPlan of job " + jobId);
        }
        String problem = targetProblem(plan);
        if (problem != null) {
            return badRequest(problem);
        }
        return Panache.withTransaction(() -> TrackedJob.<TrackedJob>findById(jobId).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(false);
            }
            TrackedJob job = new TrackedJob();
            job.jobId = jobId;
            job.plan = write(plan);
            job.unitsTotal = plan.unitIds().size();
            job.stage = TrackedJob.Stage.GATHERING;
            job.createdAt = Instant.now();
            job.scopeKey = ReviewTargets.scopeKey(plan.target());
            job.headSha = plan.head();
            return job.persist().replaceWith(true);
        }))
                // before any unit is published, so the final status can never be overtaken by "pending"
                // unordered: ordered blocking tasks of a duplicated context can queue behind the other ordered tasks of
                // its event loop, a post waiting out a rate limit included
                .chain(created -> created ? vertx.executeBlocking(Uni.createFrom().item(() -> {
                    status.pending(jobId, plan);
                    return true;
                }), false) : Uni.createFrom().item(false))
                // a job with no units (everything skipped) is complete as soon as it is known
                .chain(() -> completion.check(jobId))
                .replaceWith(Response.noContent().build());
    }

    /**
     * {@code PUT /internal/jobs/{jobId}/failure}: the scanner failed the job at its deadline. For a pull request the
     * head commit gets a failure status with the reason, on the target the scanner sends (the plan may never have
     * reached the publisher). 204 when done (or nothing to do), 503 when the platform is unavailable (the scanner tries again).
     * The job is not otherwise changed here: should its review still complete, it is posted as usual.
     */
    @PUT
    @Path("/{jobId}/failure")
    @Operation(operationId = "reportJobFailure", summary = "Report a job the scanner failed (e.g. at its deadline) on its pull request")
    @APIResponse(responseCode = "204", description = "reported (or nothing to report for a local review)")
    @APIResponse(responseCode = "400", description = "the failure is invalid (the answer names the field)")
    @APIResponse(responseCode = "503", description = "the platform could not be reached: try again later")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> failed(@PathParam("jobId") String jobId, JobFailure failure) {
        MDC.put(ReviewCompletion.JOB_LOG_KEY, jobId);
        if (failure == null || !jobId.equals(failure.jobId()) || failure.reason() == null) {
            return badRequest("the body must be the JobFailure of job " + jobId + ", with a reason");
        }
        ReviewTarget target = failure.target();
        if (target == null || !ReviewTarget.PULL_REQUEST.equals(target.kind()) || target.pullRequest() == null
                || blank(failure.head())) {
            return Uni.createFrom().item(Response.noContent().build());
        }
        PullRequestRef given = target.pullRequest();
        PullRequestRef ref = new PullRequestRef(given.platform(), given.apiUrl(), given.repository(), given.projectId(),
                given.number(), given.baseSha(), given.startSha(), failure.head(), given.tokenRef());
        if (!platforms.supports(ref.platform())) {
            return badRequest("field 'target.pullRequest.platform' must be one of gitea, github, gitlab");
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            status.failedWithoutReview(jobId, ref, "drep " + failure.reason());
            return Response.noContent().build();
        })).onFailure(PlatformException.class).recoverWithItem(e -> Response.status(503).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody("platform_unavailable", "could not set the failure status on "
                        + ScopeKeys.describe(ref) + ": " + e.getMessage() + "; try again later")).build());
    }

    /** @return what is wrong with the plan's target, naming the field, or null */
    private String targetProblem(JobPlan plan) {
        ReviewTarget target = plan.target();
        if (target == null) {
            return "field 'target' is required";
        }
        String kind = target.kind();
        if (kind == null || ReviewTarget.LOCAL.equals(kind)) {
            return blank(target.outputDir()) ? "field 'target.outputDir' is required" : null;
        }
        if (!ReviewTarget.PULL_REQUEST.equals(kind) && !ReviewTarget.ISSUES.equals(kind)) {
            return "field 'target.kind' must be one of local, pull-request, issues";
        }
        PullRequestRef ref = target.pullRequest();
        if (ref == null) {
            return "field 'target.pullRequest' is required for target kind '" + kind + "'";
        }
        if (!platforms.supports(ref.platform())) {
            return "field 'target.pullRequest.platform' must be one of gitea, github, gitlab";
        }
        if (blank(ref.apiUrl())) {
            return "field 'target.pullRequest.apiUrl' is required";
        }
        if (blank(ref.repository()) && (!"gitlab".equals(ref.platform()) || blank(ref.projectId()))) {
            return "field 'target.pullRequest.repository' is required";
        }
        if (blank(ref.tokenRef())) {
            return "field 'target.pullRequest.tokenRef' is required";
        }
        if (ReviewTarget.PULL_REQUEST.equals(kind)) {
            if (ref.number() < 1) {
                return "field 'target.pullRequest.number' must be the pull request's number (1 or more)";
            }
            if (blank(ref.headSha()) && blank(plan.head())) {
                return "field 'target.pullRequest.headSha' is required";
            }
        }
        return null;
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static Uni<Response> badRequest(String message) {
        return Uni.createFrom().item(Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody("invalid_request", message)).build());
    }

    private String write(JobPlan plan) {
        try {
            return json.writeValueAsString(plan);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
