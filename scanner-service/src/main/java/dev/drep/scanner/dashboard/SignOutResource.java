package dev.drep.scanner.dashboard;

import dev.drep.identity.IdentityConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Signing out of the dashboard. With the token form, {@code POST /dashboard/sign-out} drops the session cookie (the
 * token itself stays valid until it is revoked). With OIDC sign-in, quarkus-oidc answers that path itself before it
 * reaches this class: it ends the session (drops its cookie) and sends the browser to the provider's end-session
 * endpoint, which sends it back to {@code /dashboard/signed-out}. Both end on that page, which needs no sign-in.
 */
@Path("/dashboard")
@PermitAll
public class SignOutResource {
    private final IdentityConfig identity;

    public SignOutResource(IdentityConfig identity) {
        this.identity = identity;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signedOut();
    }

    @POST
    @Path("/sign-out")
    @Operation(hidden = true)
    public Response signOut() {
        NewCookie expired = new NewCookie.Builder(identity.cookieName()).value("").path("/dashboard").maxAge(0)
                .httpOnly(true).secure(true).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.seeOther(URI.create("/dashboard/signed-out")).cookie(expired).build();
    }

    @GET
    @Path("/signed-out")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance signedOut() {
        return Templates.signedOut();
    }
}
