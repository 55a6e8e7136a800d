package dev.drep.scanner.job;

import dev.drep.contracts.JobView;
import dev.drep.scanner.api.ApiError;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** {@code GET /api/jobs/{id}}: any client follows a job here. */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<JobView> get(@PathParam("id") String id) {
        UUID jobId = parse(id);
        return Job.<Job>findById(jobId)
                .onItem().ifNull().failWith(() -> ApiError.notFound("no job with id " + id))
                .map(Job::view);
    }

    static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiError.notFound("no job with id '" + id + "' (job ids are UUIDs)");
        }
    }
}
