package dev.drep.scanner.dashboard;

import dev.drep.identity.IdentityConfig;
import dev.drep.identity.TokenHashes;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The dashboard's sign-in: a form that takes an API token and keeps it in a cookie the browser sends only to the
 * dashboard's pages ({@code Secure}, {@code HttpOnly}, {@code SameSite=Strict}, {@code Path=/dashboard}). The token is
 * checked on every page like any bearer token, so revoking it signs the browser out. Where OIDC is configured, the
 * organisation's provider issues the tokens instead.
 */
@Path("/dashboard/sign-in")
@PermitAll
public class SignInResource {
    private final IdentityConfig identity;

    public SignInResource(IdentityConfig identity) {
        this.identity = identity;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(String then, String problem);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance form(@QueryParam("then") String then) {
        return Templates.signIn(safeTarget(then), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response signIn(@FormParam("token") String token, @FormParam("then") String then) {
        String target = safeTarget(then);
        if (token == null || !TokenHashes.isDrepToken(token.trim())) {
            return Response.status(400).entity(Templates.signIn(target, "That is not a drep token: tokens start with "
                    + TokenHashes.PREFIX + " (create one with 'drep token create --scope jobs:read').")).build();
        }
        NewCookie cookie = new NewCookie.Builder(identity.cookieName()).value(token.trim()).path("/dashboard")
                .httpOnly(true).secure(true).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.seeOther(URI.create(target)).cookie(cookie).build();
    }

    /** Only the dashboard's own pages: never an address elsewhere (an open redirect). */
    static String safeTarget(String then) {
        if (then != null && then.startsWith("/dashboard") && !then.startsWith("/dashboard/sign-in") && !then.contains("//")
                && !then.contains("\\")) {
            return then;
        }
        return "/dashboard";
    }
}
