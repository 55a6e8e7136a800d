package dev.drep.scanner.token;

import dev.drep.contracts.TokenIntrospection;
import dev.drep.contracts.TokenIntrospectionRequest;
import dev.drep.identity.Scopes;
import dev.drep.scanner.api.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code POST /internal/tokens/introspect}: what an API token grants, for the other drep services that accept API
 * tokens (the LLM gateway, the review-publisher), asked with their service tokens (scope
 * {@link Scopes#TOKENS_INTROSPECT}). RFC 7662's token introspection, adapted: the caller sends the token's SHA-256,
 * never the token, and the answer says whether it is active now and, for a token that was issued, its id, name,
 * scopes, repository restriction, expiry and revocation.
 */
@Path("/internal/tokens/introspect")
@RolesAllowed(Scopes.TOKENS_INTROSPECT)
public class TokenIntrospectionResource {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private final ApiTokens tokens;

    public TokenIntrospectionResource(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "introspectToken", summary = "What an API token grants, by its SHA-256 (for the drep services that accept API tokens)")
    @APIResponse(responseCode = "200", description = "the grant: {\"active\": false} alone for a token no one issued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenIntrospection.class)))
    @APIResponse(responseCode = "400", description = "tokenSha256 is missing or not a hex SHA-256")
    public Uni<TokenIntrospection> introspect(TokenIntrospectionRequest request) {
        String hash = request == null || request.tokenSha256() == null ? "" : request.tokenSha256().trim().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(hash).matches()) {
            throw ApiError.badRequest("field 'tokenSha256' must be the token's SHA-256 as 64 hex digits "
                    + "(the token itself is never sent): {\"tokenSha256\": \"<sha256 of drep_...>\"}");
        }
        return tokens.introspect(hash);
    }
}
