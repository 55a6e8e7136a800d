package dev.drep.scanner.token;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.drep.identity.Callers;
import dev.drep.identity.Scopes;
import dev.drep.core.identity.TokenHashes;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.repository.RepositoryResource;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * API tokens: {@code POST /api/tokens} creates one and shows it once, {@code GET /api/tokens} lists them (never the
 * token), {@code DELETE /api/tokens/{id}} revokes one (at once: the next request with it is refused). Admins only.
 */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Scopes.ADMIN)
public class TokenResource {
    private static final Logger LOG = Logger.getLogger(TokenResource.class);
    private static final Pattern DAYS = Pattern.compile("([0-9]{1,5})d");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._:/@-]{0,199}");
    private final ApiTokens tokens;
    private final SecurityIdentity caller;

    public TokenResource(ApiTokens tokens, SecurityIdentity caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createToken", summary = "Create an API token; the answer is the only time the token is shown")
    @APIResponse(responseCode = "201", description = "the token (shown only in this answer) and its details", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreatedToken.class)))
    @APIResponse(responseCode = "400", description = "a field is missing or invalid (the answer names it)")
    public Uni<Response> create(TokenRequest request) {
        if (request == null) {
            throw ApiError.badRequest("the request body is required: {\"name\": \"ci\", \"scopes\": [\"reviews:write\", \"jobs:read\"]}");
        }
        if (request.name() == null || !NAME.matcher(request.name().trim()).matches()) {
            throw ApiError.badRequest("field 'name' is required: up to 200 letters, digits, spaces and . _ : / @ -, "
                    + "starting with a letter or digit");
        }
        if (request.scopes() == null || request.scopes().isEmpty()) {
            throw ApiError.badRequest("field 'scopes' needs at least one of " + String.join(", ", Scopes.DESCRIPTIONS.keySet()));
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : request.scopes()) {
            String s = scope == null ? "" : scope.trim();
            if (!Scopes.isKnown(s)) {
                throw ApiError.badRequest("field 'scopes' has an unknown scope '" + s + "': use "
                        + String.join(", ", Scopes.DESCRIPTIONS.keySet()));
            }
            scopes.add(s);
        }
        String repository = request.repository() == null || request.repository().isBlank() ? null : request.repository().trim();
        if (repository != null && !repository.matches("[A-Za-z0-9_.][A-Za-z0-9_.-]*(/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+")) {
            throw ApiError.badRequest("field 'repository' must be a repository's full name, owner/name, got '" + repository + "'");
        }
        // A token restricted to a repository issues tokens for that repository only (the gateway's keys come here with
        // their admin's token): otherwise it could mint itself an unrestricted one.
        if (repository == null) {
            Callers.requireUnrestricted(caller, "a token for every repository");
        } else {
            Callers.requireRepository(caller, repository);
        }
        Instant expiresAt = request.expiresIn() == null || request.expiresIn().isBlank() ? null
                : Instant.now().plus(lifetime(request.expiresIn().trim()));
        String token = TokenHashes.newToken();
        String name = request.name().trim();
        return tokens.create(name, scopes, repository, expiresAt, caller.getPrincipal().getName(), TokenHashes.sha256(token))
                .map(view -> {
                    LOG.infof("API token '%s' (id %s, scopes %s) created by %s", name, view.id(), scopes,
                            caller.getPrincipal().getName());
                    return Response.status(201).entity(new CreatedToken(token, view)).build();
                });
    }

    @GET
    @Operation(operationId = "listTokens", summary = "API tokens, newest first (never the tokens themselves)")
    @APIResponse(responseCode = "200")
    public Uni<List<TokenView>> list() {
        return tokens.list();
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "revokeToken", summary = "Revoke an API token; it is refused from the next request on")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", description = "no token with this id")
    public Uni<TokenView> revoke(@PathParam("id") String id) {
        UUID uuid = RepositoryResource.parseId(id);
        return tokens.revoke(uuid).onItem().ifNull().failWith(() -> ApiError.notFound("no token with id " + id))
                .invoke(view -> LOG.infof("API token '%s' (id %s) revoked by %s", view.name(), view.id(),
                        caller.getPrincipal().getName()));
    }

    static Duration lifetime(String text) {
        Matcher days = DAYS.matcher(text);
        Duration duration;
        if (days.matches()) {
            duration = Duration.ofDays(Long.parseLong(days.group(1)));
        } else {
            try {
                duration = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiError.badRequest("field 'expiresIn' must be a number of days such as 90d or an ISO-8601 duration "
                        + "such as P90D or PT12H, got '" + text + "'");
            }
        }
        if (duration.isNegative() || duration.isZero()) {
            throw ApiError.badRequest("field 'expiresIn' must be positive, got '" + text + "'");
        }
        return duration;
    }
}
