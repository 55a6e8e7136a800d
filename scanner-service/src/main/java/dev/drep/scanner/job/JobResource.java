package dev.drep.scanner.job;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import java.util.Optional;
import dev.drep.contracts.JobFindings;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.JobView;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.planning.ReviewPublisher;
import dev.drep.scanner.profile.JobStages;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/jobs} and {@code GET /api/jobs/{id}}: any client follows jobs here. */
@Path("/api/jobs")
@RolesAllowed(Scopes.JOBS_READ)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs", description = "Reviews and scans, from request to final status")
public class JobResource {
    private final SecurityIdentity caller;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final JobStages stages;
    private final ReviewPublisher publisher;

    public JobResource(JobStages stages, ReviewPublisher publisher, SecurityIdentity caller) {
        this.caller = caller;
        this.stages = stages;
        this.publisher = publisher;
    }

    @GET
    @WithSession
    @Operation(operationId = "listJobs", summary = "Recent jobs, newest first")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", description = "limit or status out of range")
    public Uni<List<JobView>> list(
            @Parameter(description = "a registered repository id, or the repository as jobs show it (owner/name or a local path)")
            @QueryParam("repository") String repository,
            @Parameter(description = "QUEUED, ANALYZING, PUBLISHING, DONE or FAILED") @QueryParam("status") String status,
            @Parameter(description = "at most this many jobs (default 50, at most 500)") @QueryParam("limit") Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiError.badRequest("query parameter 'limit' must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        Optional<String> restricted = Callers.repository(caller);
        if (restricted.isPresent()) {
            // a token of one repository sees that repository's jobs only
            where.add("repository = :only");
            parameters.and("only", restricted.get());
        }
        if (repository != null && !repository.isBlank()) {
            UUID id = uuidOrNull(repository.trim());
            if (id != null) {
                where.add("repositoryId = :repository");
                parameters.and("repository", id);
            } else {
                where.add("repository = :repository");
                parameters.and("repository", repository.trim());
            }
        }
        if (status != null && !status.isBlank()) {
            where.add("status = :status");
            parameters.and("status", status(status));
        }
        Sort newestFirst = Sort.descending("createdAt").and("id");
        var query = where.isEmpty() ? Job.<Job>findAll(newestFirst) : Job.<Job>find(String.join(" and ", where), newestFirst, parameters);
        return query.page(0, size).list().map(jobs -> jobs.stream().map(Job::view).toList());
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(operationId = "getJob", summary = "One job, with its profile: where its wall time went by stage, and its LLM use")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", description = "no job with this id")
    public Uni<JobView> get(@PathParam("id") String id) {
        UUID jobId = parse(id);
        return Job.<Job>findById(jobId)
                .onItem().ifNull().failWith(() -> ApiError.notFound("no job with id " + id))
                .invoke(job -> Callers.requireRepository(caller, job.repository))
                .chain(job -> stages.of(jobId).map(job::view));
    }

    @GET
    @Path("/{id}/findings")
    @Operation(operationId = "getJobFindings", summary = "The findings of a job's review: inline, summary-only, and what could not be analysed")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", description = "no job with this id")
    @APIResponse(responseCode = "409", description = "the review is not composed yet (the job is still running, or failed)")
    public Uni<JobFindings> findings(@PathParam("id") String id) {
        UUID jobId = parse(id);
        return Panache.withSession(() -> Job.<Job>findById(jobId))
                .onItem().ifNull().failWith(() -> ApiError.notFound("no job with id " + id))
                .invoke(job -> Callers.requireRepository(caller, job.repository))
                .chain(job -> publisher.review(jobId.toString()).map(review -> {
                    if (review != null) {
                        return new JobFindings(id, job.status, review.findings(), review.summaryFindings(),
                                review.notAnalyzed());
                    }
                    if (job.status.isFinal()) {
                        // planned to nothing (base equal to head, already reviewed) or failed before a review
                        return new JobFindings(id, job.status, null, null, null);
                    }
                    throw new ApiError(409, "not_ready", "job " + id + " is " + job.status
                            + ": its findings are known once every unit is analysed");
                }));
    }

    static UUID parse(String id) {
        UUID uuid = uuidOrNull(id);
        if (uuid == null) {
            throw ApiError.notFound("no job with id '" + id + "' (job ids are UUIDs)");
        }
        return uuid;
    }

    private static UUID uuidOrNull(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static JobStatus status(String text) {
        try {
            return JobStatus.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("query parameter 'status' must be one of QUEUED, ANALYZING, PUBLISHING, DONE, FAILED, got '"
                    + text + "'");
        }
    }
}
