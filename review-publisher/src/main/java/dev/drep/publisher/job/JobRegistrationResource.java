package dev.drep.publisher.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.contracts.ErrorBody;
import dev.drep.contracts.JobPlan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/**
 * {@code PUT /internal/jobs/{jobId}}: the scanner registers a job's plan before publishing its units.
 * Idempotent: registering the same job again changes nothing.
 */
@Path("/internal/jobs")
public class JobRegistrationResource {
    private final ObjectMapper json;
    private final ReviewCompletion completion;

    public JobRegistrationResource(ObjectMapper json, ReviewCompletion completion) {
        this.json = json;
        this.completion = completion;
    }

    @PUT
    @Path("/{jobId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> register(@PathParam("jobId") String jobId, JobPlan plan) {
        if (plan == null || !jobId.equals(plan.jobId())) {
            return Uni.createFrom().item(Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorBody("invalid_request", "the body must be the JobPlan of job " + jobId)).build());
        }
        if (plan.target() == null || plan.target().outputDir() == null) {
            return Uni.createFrom().item(Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorBody("invalid_request", "field 'target.outputDir' is required")).build());
        }
        return Panache.withTransaction(() -> TrackedJob.<TrackedJob>findById(jobId).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            TrackedJob job = new TrackedJob();
            job.jobId = jobId;
            job.plan = write(plan);
            job.unitsTotal = plan.unitIds().size();
            job.stage = TrackedJob.Stage.GATHERING;
            job.createdAt = Instant.now();
            return job.persist().replaceWithVoid();
        }))
                // a job with no units (everything skipped) is complete as soon as it is known
                .chain(() -> completion.check(jobId))
                .replaceWith(Response.noContent().build());
    }

    private String write(JobPlan plan) {
        try {
            return json.writeValueAsString(plan);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
