package dev.drep.identity;

import dev.drep.contracts.ErrorBody;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The answers to callers who are not let in: 401 naming what is missing or wrong with the token, 403 naming the scope
 * the call needs and the scopes the caller has, 503 when an API token cannot be checked because the scanner does not
 * answer. Never the token. A browser on a page is sent to the sign-in page.
 * The LLM gateway answers in OpenAI's error shape instead (its mappers take precedence).
 */
public class AccessRefusals {
    private static final Logger LOG = Logger.getLogger(AccessRefusals.class);
    public static final String NEEDS_TOKEN = "this call needs a bearer token (Authorization: Bearer drep_..., from 'drep token create', "
            + "or an access token of the configured OIDC provider)";
    /** {@code Retry-After} of a 503 because an API token could not be checked: the scanner is usually back in seconds. */
    public static final String RETRY_CHECK_AFTER_SECONDS = "5";
    private final IdentityConfig config;
    private final CurrentIdentityAssociation identity;

    public AccessRefusals(IdentityConfig config, CurrentIdentityAssociation identity) {
        this.config = config;
        this.identity = identity;
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, ContainerRequestContext request) {
        return signInOr(request, unauthorized("unauthenticated", NEEDS_TOKEN));
    }

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e, ContainerRequestContext request) {
        String message = badTokenMessage(e);
        if (TokenCheckUnavailableException.isCause(e)) {
            return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", RETRY_CHECK_AFTER_SECONDS)
                    .entity(new ErrorBody("token_check_unavailable", message)).build();
        }
        LOG.debugf("refused %s %s: %s", request.getMethod(), request.getUriInfo().getPath(), message);
        return signInOr(request, unauthorized("invalid_token", message));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ResourceInfo resource) {
        return Response.status(403).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody("forbidden", forbiddenMessage(e, resource, identity.getIdentity()))).build();
    }

    /** @return what is wrong with a refused token, as its provider said (never the token) */
    public static String badTokenMessage(AuthenticationFailedException e) {
        return e.getMessage() == null || e.getMessage().isBlank()
                ? "the bearer token was refused (unknown, expired, revoked, or an OIDC token of another issuer or audience)"
                : e.getMessage();
    }

    /** @return the refusal's own reason, else the scope the call needs and the scopes the caller has */
    public static String forbiddenMessage(ForbiddenException e, ResourceInfo resource, SecurityIdentity caller) {
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        return forbiddenMessage(needed(resource), caller);
    }

    /**
     * @param needed the scopes the call needs, quoted ({@code 'llm:use'}), for an endpoint that is not a JAX-RS method
     * @return the scope the call needs and the scopes the caller has
     */
    public static String forbiddenMessage(String needed, SecurityIdentity caller) {
        Set<String> has = Callers.scopes(caller);
        return "this call needs scope " + needed + "; the caller '" + caller.getPrincipal().getName() + "' has "
                + (has.isEmpty() ? "no scope" : String.join(", ", has));
    }

    /** @return the scopes of the matched method's (or class's) {@code @RolesAllowed}, quoted and joined by "or" */
    static String needed(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        RolesAllowed rule = method == null ? null : method.getAnnotation(RolesAllowed.class);
        if (rule == null && resource != null && resource.getResourceClass() != null) {
            rule = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        if (rule == null) {
            return "(not stated)";
        }
        List<String> quoted = Arrays.stream(rule.value()).map(s -> "'" + s + "'").toList();
        return String.join(" or ", quoted);
    }

    private Response signInOr(ContainerRequestContext request, Response otherwise) {
        String path = request.getUriInfo().getPath();
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        boolean page = config.cookiePaths().stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
        if (config.signInPage().isPresent() && page && accept != null && accept.contains("text/html")
                && !path.startsWith(config.signInPage().get())) {
            URI target = URI.create(config.signInPage().get() + "?then=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
            return Response.seeOther(target).build();
        }
        return otherwise;
    }

    private static Response unauthorized(String code, String message) {
        return Response.status(401).type(MediaType.APPLICATION_JSON).header("WWW-Authenticate", "Bearer realm=\"drep\"")
                .entity(new ErrorBody(code, message)).build();
    }
}
