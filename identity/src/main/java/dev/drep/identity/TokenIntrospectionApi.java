package dev.drep.identity;

import dev.drep.contracts.TokenIntrospection;
import dev.drep.contracts.TokenIntrospectionRequest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The scanner's token introspection ({@code POST /internal/tokens/introspect}). Built by {@link IntrospectedTokens}
 * only when {@code drep.identity.introspection.url} is set, with this service's token ({@link ServiceTokenHeaders}).
 */
@Path("/internal/tokens/introspect")
interface TokenIntrospectionApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<TokenIntrospection> introspect(TokenIntrospectionRequest request);
}
