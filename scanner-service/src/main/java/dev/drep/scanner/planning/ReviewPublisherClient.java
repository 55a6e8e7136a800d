package dev.drep.scanner.planning;

import dev.drep.contracts.CommandReply;
import dev.drep.contracts.JobFailure;
import dev.drep.contracts.JustifiedReply;
import dev.drep.contracts.FindingAcceptance;
import dev.drep.contracts.RepositoryLearnings;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.QueryParam;
import dev.drep.identity.ServiceTokenHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import dev.drep.contracts.JobPlan;
import dev.drep.contracts.Review;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The review-publisher's internal API. Only {@link ReviewPublisher} uses it. */
@RegisterRestClient(configKey = "review-publisher")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/internal")
interface ReviewPublisherClient {

    @PUT
    @Path("/jobs/{jobId}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> register(@PathParam("jobId") String jobId, JobPlan plan);

    @PUT
    @Path("/jobs/{jobId}/failure")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> failed(@PathParam("jobId") String jobId, JobFailure failure);

    @GET
    @Path("/learnings")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<RepositoryLearnings> learnings(@QueryParam("platform") String platform, @QueryParam("apiUrl") String apiUrl,
            @QueryParam("repository") String repository);

    @GET
    @Path("/acceptance")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<FindingAcceptance> acceptance(@QueryParam("platform") String platform, @QueryParam("apiUrl") String apiUrl,
            @QueryParam("repository") String repository);

    @DELETE
    @Path("/learnings/{learningId}")
    Uni<Void> forget(@PathParam("learningId") String learningId, @QueryParam("platform") String platform,
            @QueryParam("apiUrl") String apiUrl, @QueryParam("repository") String repository);

    @PUT
    @Path("/justifications/{replyKey}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> justify(@PathParam("replyKey") String replyKey, JustifiedReply reply);

    @PUT
    @Path("/replies/{replyId}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> reply(@PathParam("replyId") String replyId, CommandReply reply);

    @GET
    @Path("/jobs/{jobId}/review")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Review> review(@PathParam("jobId") String jobId);
}
