package dev.drep.scanner.repository;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.fetch.RepositoryMirrors;
import dev.drep.scanner.platform.PlatformAccess;
import dev.drep.scanner.secrets.SecretReferences;
import dev.drep.scanner.webhook.WebhookSecrets;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

/**
 * {@code /api/repositories}: the repositories drep accepts webhooks for, fetches and reviews. A
 * registration holds secret references (names), never secret values.
 */
@Path("/api/repositories")
@RolesAllowed(Scopes.REPOSITORIES_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "repositories", description = "Repositories registered for webhooks, reviews and scans")
public class RepositoryResource {
    private static final Logger LOG = Logger.getLogger(RepositoryResource.class);

    private final SecretReferences secrets;
    private final RepositoryMirrors mirrors;
    private final Vertx vertx;
    private final WebhookSecrets webhooks;
    private final PlatformAccess access;
    private final SecurityIdentity caller;

    public RepositoryResource(SecretReferences secrets, RepositoryMirrors mirrors, Vertx vertx, WebhookSecrets webhooks,
            PlatformAccess access, SecurityIdentity caller) {
        this.access = access;
        this.caller = caller;
        this.secrets = secrets;
        this.webhooks = webhooks;
        this.mirrors = mirrors;
        this.vertx = vertx;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "registerRepository", summary = "Register a repository (409 when registered already; 400 naming the host rule a URL or token reference breaks)")
    @APIResponse(responseCode = "201", description = "registered; Location names the repository", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RepositoryView.class)))
    @APIResponse(responseCode = "400", description = "a field is missing or invalid, or a URL or token reference breaks a host rule (the answer names it)")
    @APIResponse(responseCode = "409", description = "the platform and name are registered already")
    public Uni<Response> register(RepositoryRegistration body) {
        Callers.requireUnrestricted(caller, "registering a repository");
        // the host rules resolve names: off the event loop
        return vertx.executeBlocking(Uni.createFrom().item(() -> RegistrationRules.validate(body, access.rules())))
                .chain(this::save);
    }

    private Uni<Response> save(RegisteredRepository repository) {
        return Panache.withTransaction(() -> RegisteredRepository.findByName(repository.platform(), repository.fullName)
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(new ApiError(409, "conflict", repository.platformId + " repository '"
                                + repository.fullName + "' is registered already with id " + existing.id));
                    }
                    repository.id = UUID.randomUUID();
                    repository.createdAt = Instant.now();
                    return repository.persist().replaceWith(repository);
                }))
                // two registrations racing past the check meet at the unique index
                .onFailure(ConstraintViolationException.class).transform(e -> new ApiError(409, "conflict",
                        repository.platformId + " repository '" + repository.fullName + "' is registered already"))
                .map(saved -> {
                    LOG.infof("repository %s registered: %s %s", saved.id, saved.platformId, saved.fullName);
                    // the only time the secret is shown unasked: GET /api/repositories/{id}/webhook shows it again
                    return Response.created(URI.create("/api/repositories/" + saved.id))
                            .entity(saved.view(webhooks.setup(saved.platform(), saved.id, true), tokenConfigured(saved))).build();
                });
    }

    @GET
    @WithSession
    @Operation(operationId = "listRepositories", summary = "List the registered repositories")
    @APIResponse(responseCode = "200")
    public Uni<List<RepositoryView>> list() {
        Callers.requireUnrestricted(caller, "listing the registered repositories");
        return RegisteredRepository.<RegisteredRepository>listAll(Sort.by("platformId").and("fullName"))
                .map(all -> all.stream().map(this::view).toList());
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(operationId = "getRepository", summary = "One registered repository")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", description = "no repository with this id")
    public Uni<RepositoryView> get(@PathParam("id") String id) {
        Callers.requireUnrestricted(caller, "reading a registration");
        return find(id).map(this::view);
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteRepository", summary = "Unregister a repository; its jobs stay, its local mirror is removed")
    @APIResponse(responseCode = "204", description = "unregistered")
    @APIResponse(responseCode = "404", description = "no repository with this id")
    public Uni<Response> delete(@PathParam("id") String id) {
        Callers.requireUnrestricted(caller, "removing a registration");
        return Panache.withTransaction(() -> find(id).call(RegisteredRepository::delete))
                .call(removed -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    mirrors.remove(removed.id);
                    return null;
                })))
                .map(removed -> {
                    LOG.infof("repository %s unregistered: %s %s", removed.id, removed.platformId, removed.fullName);
                    return Response.noContent().build();
                });
    }

    /** @return the repository with id {@code id}, or a 404 failure */
    static Uni<RegisteredRepository> find(String id) {
        UUID uuid = parseId(id);
        return RegisteredRepository.<RegisteredRepository>findById(uuid)
                .onItem().ifNull().failWith(() -> ApiError.notFound("no repository with id " + id));
    }

    /** @return {@code id} as a UUID, or a 404 naming it */
    public static UUID parseId(String id) {
        try {
            return UUID.fromString(id == null ? "" : id.trim());
        } catch (IllegalArgumentException e) {
            throw ApiError.notFound("no repository with id '" + id + "' (repository ids are UUIDs)");
        }
    }

    private RepositoryView view(RegisteredRepository r) {
        return r.view(webhooks.setup(r.platform(), r.id, false), tokenConfigured(r));
    }

    private boolean tokenConfigured(RegisteredRepository r) {
        return r.tokenRef != null && secrets.isConfigured(r.tokenRef);
    }
}
