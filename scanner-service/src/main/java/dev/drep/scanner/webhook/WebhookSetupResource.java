package dev.drep.scanner.webhook;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.repository.RegisteredRepository;
import dev.drep.scanner.repository.RepositoryResource;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/repositories/{id}/webhook}: the webhook URL path and secret of a registered repository
 * again, for setting up the platform after the registration answer was lost, or after an upgrade from the
 * shared secrets of earlier versions. It reveals the secret: scope {@code repositories:admin}, and a token restricted
 * to a repository sees only that repository's.
 */
@Path("/api/repositories/{id}/webhook")
@RolesAllowed(Scopes.REPOSITORIES_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "repositories", description = "Repositories registered for webhooks, reviews and scans")
public class WebhookSetupResource {
    private final WebhookSecrets secrets;
    private final SecurityIdentity caller;

    public WebhookSetupResource(WebhookSecrets secrets, SecurityIdentity caller) {
        this.secrets = secrets;
        this.caller = caller;
    }

    @GET
    @WithSession
    @Operation(operationId = "getRepositoryWebhook",
            summary = "The webhook URL path and secret to enter in the platform for a registered repository")
    @APIResponse(responseCode = "200", description = "the webhook's path, secret, signature header and content type", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookSetup.class)))
    @APIResponse(responseCode = "404", description = "no repository with this id")
    public Uni<Response> get(@PathParam("id") String id) {
        return RegisteredRepository.<RegisteredRepository>findById(RepositoryResource.parseId(id))
                .onItem().ifNull().failWith(() -> ApiError.notFound("no repository with id " + id))
                .map(repository -> {
                    Callers.requireRepository(caller, repository.fullName);
                    CacheControl noStore = new CacheControl();
                    noStore.setNoStore(true);
                    return Response.ok(secrets.setup(repository.platform(), repository.id, true)).cacheControl(noStore).build();
                });
    }
}
