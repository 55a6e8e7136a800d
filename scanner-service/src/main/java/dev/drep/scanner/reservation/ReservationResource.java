package dev.drep.scanner.reservation;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import dev.drep.contracts.ReservationCheckRequest;
import dev.drep.contracts.ReservationCheckResult;
import dev.drep.contracts.ReservationView;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * File reservations of one repository, under {@code /api/repositories/{repository}/reservations}, where
 * {@code {repository}} is the URL-encoded repository key, e.g. {@code acme%2Fdocs} for {@code acme/docs}.
 *
 * <ul>
 *   <li>{@code POST /} reserve ({@link ReserveRequest} → {@link ReserveResult})
 *   <li>{@code GET /?state=active|all&holder=&limit=} list ({@link ReservationList})
 *   <li>{@code GET /{id}} one reservation ({@link ReservationView}; 404 when unknown)
 *   <li>{@code POST /renew} ({@link RenewRequest} → {@link RenewResult})
 *   <li>{@code POST /release} ({@link ReleaseRequest} → {@link ReleaseResult})
 *   <li>{@code POST /{id}/force-release} ({@link ForceReleaseRequest} → {@link ReservationView}; 409 unless stale)
 *   <li>{@code POST /check} ({@link ReservationCheckRequest} → {@link ReservationCheckResult}), for the guard hooks
 * </ul>
 * Errors are {@link dev.drep.contracts.ErrorBody} answers: 400 for bad input, 404 for unknown ids, 409 for
 * another holder's reservation or a force-release of one that is not stale.
 */
@Path("/api/repositories/{repository: .+}/reservations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Scopes.RESERVATIONS_WRITE)
public class ReservationResource {
    private final ReservationService reservations;
    private final SecurityIdentity caller;

    public ReservationResource(ReservationService reservations, SecurityIdentity caller) {
        this.reservations = reservations;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "reserveFiles", summary = "Reserve paths of a repository for the caller (shared or exclusive)",
            description = ReserveRequest.PATTERN_MEANING)
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", description = "a field is missing or invalid (the answer names it)")
    @APIResponse(responseCode = "409", description = "another holder reserved an overlapping pattern")
    public Uni<ReserveResult> reserve(@PathParam("repository") String repository, ReserveRequest request) {
        Callers.requireRepository(caller, repository);
        ReserveRequest asCaller = request == null ? null : new ReserveRequest(Holders.actingFor(caller, request.holder()),
                request.paths(), request.exclusive(), request.ttlSeconds(), request.reason(), request.allowMatchEverything());
        return reservations.reserve(repository, asCaller);
    }

    @GET
    @Operation(operationId = "listReservations", summary = "List the repository's reservations (active, or all)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", description = "a query parameter is invalid")
    public Uni<ReservationList> list(@PathParam("repository") String repository, @QueryParam("state") String state,
            @QueryParam("holder") String holder, @QueryParam("limit") Integer limit) {
        Callers.requireRepository(caller, repository);
        return reservations.list(repository, state, holder, limit);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getReservation", summary = "One reservation")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", description = "no reservation with this id in this repository")
    public Uni<ReservationView> get(@PathParam("repository") String repository, @PathParam("id") String id) {
        Callers.requireRepository(caller, repository);
        return reservations.get(repository, id);
    }

    @POST
    @Path("/renew")
    @Operation(operationId = "renewReservations", summary = "Extend the caller's reservations")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", description = "a field is missing or invalid")
    @APIResponse(responseCode = "409", description = "a reservation of another holder was named")
    public Uni<RenewResult> renew(@PathParam("repository") String repository, RenewRequest request) {
        Callers.requireRepository(caller, repository);
        RenewRequest asCaller = request == null ? null
                : new RenewRequest(Holders.actingFor(caller, request.holder()), request.ids(), request.patterns(), request.ttlSeconds());
        return reservations.renew(repository, asCaller);
    }

    @POST
    @Path("/release")
    @Operation(operationId = "releaseReservations", summary = "Release the caller's reservations (another holder's need reservations:admin)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", description = "a field is missing or invalid")
    @APIResponse(responseCode = "409", description = "a reservation of another holder was named")
    public Uni<ReleaseResult> release(@PathParam("repository") String repository, ReleaseRequest request) {
        Callers.requireRepository(caller, repository);
        ReleaseRequest asCaller = request == null ? null
                : new ReleaseRequest(Holders.actingFor(caller, request.holder()), request.ids(), request.patterns());
        return reservations.release(repository, asCaller);
    }

    @POST
    @Path("/{id}/force-release")
    @RolesAllowed(Scopes.RESERVATIONS_ADMIN)
    @Operation(operationId = "forceReleaseReservation", summary = "Release another holder's stale reservation")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", description = "a field is missing or invalid")
    @APIResponse(responseCode = "404", description = "no reservation with this id in this repository")
    @APIResponse(responseCode = "409", description = "the reservation is not stale")
    public Uni<ReservationView> forceRelease(@PathParam("repository") String repository, @PathParam("id") String id,
            ForceReleaseRequest request) {
        Callers.requireRepository(caller, repository);
        ForceReleaseRequest recorded = new ForceReleaseRequest(caller.getPrincipal().getName(), request == null ? null : request.note());
        return reservations.forceRelease(repository, id, recorded);
    }

    @POST
    @Path("/check")
    @Operation(operationId = "checkReservations", summary = "Check paths against other holders' exclusive reservations (the guard hooks)",
            description = "A path conflicts with a reservation whose pattern covers it: "
                    + "the pattern matches the path or one of its parent directories, as git's .gitignore would ignore it.")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", description = "a field is missing or invalid")
    public Uni<ReservationCheckResult> check(@PathParam("repository") String repository, ReservationCheckRequest request) {
        Callers.requireRepository(caller, repository);
        // a check only reads: it may ask on behalf of any holder (the guard hooks name the committer)
        return reservations.check(repository, request);
    }
}
