package dev.drep.gateway.error;

import dev.drep.identity.AccessRefusals;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of the REST endpoints into OpenAI's error shape, so clients never see a
 * stack trace, an HTML page or a framework-specific body.
 */
public class ErrorMappers {

    /** Before drep-identity's own answers to the same refusals, which use drep's error body. */
    private static final int BEFORE_IDENTITY = Priorities.USER - 100;
    private final CurrentIdentityAssociation identity;

    /** @param identity the caller, for naming its scopes in a refusal */
    public ErrorMappers(CurrentIdentityAssociation identity) {
        this.identity = identity;
    }

    /**
     * @param e no token
     * @return 401 in OpenAI's shape
     */
    @ServerExceptionMapper(priority = BEFORE_IDENTITY)
    public Response unauthenticated(UnauthorizedException e) {
        return ErrorAnswer.unauthenticated().toResponse();
    }

    /**
     * @param e a token that is unknown, expired or revoked, or an API token that cannot be checked now
     * @return 401 in OpenAI's shape; 503 when the scanner did not answer the check
     */
    @ServerExceptionMapper(priority = BEFORE_IDENTITY)
    public Response badToken(AuthenticationFailedException e) {
        return ErrorAnswer.badToken(e).toResponse();
    }

    /**
     * @param e a caller without the scope
     * @param resource the endpoint, for the scope it needs
     * @return 403 in OpenAI's shape ({@code permission_error})
     */
    @ServerExceptionMapper(priority = BEFORE_IDENTITY)
    public Response forbidden(ForbiddenException e, ResourceInfo resource) {
        return ErrorAnswer.forbidden(AccessRefusals.forbiddenMessage(e, resource, identity.getIdentity())).toResponse();
    }

    /**
     * @param e a failure with a known status and message
     * @return the answer
     */
    @ServerExceptionMapper
    public Response gateway(GatewayException e) {
        return ErrorAnswer.of(e).toResponse();
    }

    /**
     * Framework-level rejections (wrong method, unacceptable media type, ...).
     *
     * @param e the rejection
     * @return the answer with the same status
     */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // RESTEasy's own rejections carry no headers to pass on (its 405 names no Allow)
        return ErrorAnswer.httpStatus(e.getResponse().getStatus(), Map.of()).toResponse();
    }

    /**
     * Anything unexpected: a bug in the gateway. The details go to the log only.
     *
     * @param e the failure
     * @return a 500 answer without details
     */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        return ErrorAnswer.unexpected(e).toResponse();
    }
}
