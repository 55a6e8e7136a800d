package dev.drep.publisher.job;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import dev.drep.contracts.Review;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import dev.drep.contracts.ErrorBody;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /internal/jobs/{jobId}/review}: the review the publisher composed for a job (contracts
 * {@code Review}), for the scanner's {@code GET /api/jobs/{id}/findings} and for API tokens with {@code jobs:read}
 * (a token restricted to one repository reads that repository's reviews only). 404 while the job is unknown or its
 * review is not composed yet.
 */
@Path("/internal/jobs")
@RolesAllowed({Scopes.PUBLISHER_INTERNAL, Scopes.JOBS_READ})
public class StoredReviewResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SecurityIdentity caller;

    /** @param caller who asks (a repository restriction limits what it reads) */
    public StoredReviewResource(SecurityIdentity caller) {
        this.caller = caller;
    }

    @GET
    @Path("/{jobId}/review")
    @Produces(MediaType.APPLICATION_JSON)
    @WithSession
    @Operation(operationId = "getStoredReview", summary = "The composed review of a job (the scanner reads it for GET /api/jobs/{id}/findings)")
    @APIResponse(responseCode = "403", description = "the caller lacks the scope, or its token is restricted to another repository")
    @APIResponse(responseCode = "200", description = "the composed review", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Review.class)))
    @APIResponse(responseCode = "404", description = "no composed review for this job yet")
    public Uni<Response> review(@PathParam("jobId") String jobId) {
        return TrackedJob.<TrackedJob>findById(jobId).map(job -> {
            if (job != null && job.review != null) {
                Callers.repository(caller).ifPresent(restricted -> Callers.requireRepository(caller, repository(job)));
            }
            return job == null || job.review == null
                    ? Response.status(404).type(MediaType.APPLICATION_JSON).entity(new ErrorBody("not_found",
                            "no composed review for job " + jobId + (job == null ? " (unknown job)" : " yet"))).build()
                    : Response.ok(job.review, MediaType.APPLICATION_JSON).build();
        });
    }

    /** @return the repository the job's review is of */
    private static String repository(TrackedJob job) {
        try {
            return JSON.readTree(job.review).path("repository").asText("");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored review of job " + job.jobId + " is not JSON", e);
        }
    }
}
