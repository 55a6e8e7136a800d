package dev.drep.scanner.dashboard;

import dev.drep.identity.Callers;
import dev.drep.identity.DrepTokenRequest;
import dev.drep.identity.IdentityConfig;
import dev.drep.core.identity.TokenHashes;
import dev.drep.identity.Scopes;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * The dashboard's sign-in: a form that takes an API token and keeps it in a cookie the browser sends only to the
 * dashboard's pages ({@code Secure}, {@code HttpOnly}, {@code SameSite=Strict}, {@code Path=/dashboard}). The form
 * checks the token before it keeps it: an unknown, expired or revoked token, one without {@code jobs:read} and one
 * restricted to a repository are refused on the form, naming why, instead of sending the browser round to a refusal.
 * The token is checked again on every page like any bearer token, so revoking it signs the browser out: the next page
 * sends the browser here, where the page says why and the cookie is dropped. Where the dashboard signs in through the
 * OIDC provider ({@link DashboardConfig#oidc()}), a browser reaches this path only after signing in there, and is sent
 * on to the page it asked for: the form is not offered.
 */
@Path("/dashboard/sign-in")
@PermitAll
public class SignInResource {
    private static final Logger LOG = Logger.getLogger(SignInResource.class);
    /** the dashboard's pages: {@code /dashboard} and below, plain path segments only (no {@code ..}, no host) */
    private static final Pattern TARGET = Pattern.compile("/dashboard(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*");
    private static final String CREATE = "create one with 'drep token create --name me --scope " + Scopes.JOBS_READ + "'";
    private final IdentityConfig identity;
    private final IdentityProviderManager tokens;
    private final DashboardConfig dashboard;

    public SignInResource(IdentityConfig identity, IdentityProviderManager tokens, DashboardConfig dashboard) {
        this.identity = identity;
        this.tokens = tokens;
        this.dashboard = dashboard;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(String then, String problem);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<Response> form(@QueryParam("then") String then, @Context HttpHeaders headers) {
        String target = safeTarget(then);
        if (dashboard.oidc()) {
            return Uni.createFrom().item(Response.seeOther(URI.create(target)).build());
        }
        Cookie session = headers.getCookies().get(identity.cookieName());
        if (session == null || session.getValue().isBlank()) {
            return Uni.createFrom().item(Response.ok(Templates.signIn(target, null)).build());
        }
        // the browser was sent here with a cookie: say why it is not let in, and drop the cookie
        return refusal(session.getValue().trim()).map(refusal -> refusal == null
                ? Response.ok(Templates.signIn(target, null)).build()
                : Response.ok(Templates.signIn(target, "You are signed out: " + refusal.problem())).cookie(expired())
                        .build());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<Response> signIn(@FormParam("token") String token, @FormParam("then") String then) {
        String target = safeTarget(then);
        if (dashboard.oidc()) {
            return Uni.createFrom().item(Response.seeOther(URI.create(target)).build());
        }
        String trimmed = token == null ? "" : token.trim();
        if (!TokenHashes.isDrepToken(trimmed)) {
            return Uni.createFrom().item(Response.status(400).entity(Templates.signIn(target, "That is not a drep token: "
                    + "tokens start with " + TokenHashes.PREFIX + " (" + CREATE + ").")).build());
        }
        return refusal(trimmed).map(refusal -> {
            if (refusal != null) {
                return Response.status(refusal.status()).entity(Templates.signIn(target,
                        "That token cannot open the dashboard: " + refusal.problem())).build();
            }
            NewCookie cookie = new NewCookie.Builder(identity.cookieName()).value(trimmed).path("/dashboard")
                    .httpOnly(true).secure(true).sameSite(NewCookie.SameSite.STRICT).build();
            return Response.seeOther(URI.create(target)).cookie(cookie).build();
        });
    }

    /** Why a token may not open the dashboard, and the status the form answers with: 401 or 403 as the API would. */
    private record Refusal(int status, String problem) {
    }

    /** @return why the token may not open the dashboard, or a null item when it may */
    private Uni<Refusal> refusal(String token) {
        return tokens.authenticate(new DrepTokenRequest(token)).map(caller -> {
            if (!caller.hasRole(Scopes.JOBS_READ)) {
                Set<String> has = Callers.scopes(caller);
                return new Refusal(403, "the dashboard needs scope " + Scopes.JOBS_READ + "; the token '"
                        + caller.getPrincipal().getName() + "' has " + (has.isEmpty() ? "no scope" : String.join(", ", has))
                        + " (" + CREATE + ").");
            }
            return Callers.repository(caller).map(repository -> new Refusal(403, "the token '"
                    + caller.getPrincipal().getName() + "' is restricted to repository '" + repository + "'; the dashboard "
                    + "shows every repository's jobs and needs a token that is not restricted (" + CREATE + ")."))
                    .orElse(null);
        }).onFailure(AuthenticationFailedException.class).recoverWithItem(e -> {
            LOG.debugf("sign-in refused: %s", e.getMessage());
            return new Refusal(401, e.getMessage() + ".");
        });
    }

    private NewCookie expired() {
        return new NewCookie.Builder(identity.cookieName()).value("").path("/dashboard").maxAge(0).httpOnly(true)
                .secure(true).sameSite(NewCookie.SameSite.STRICT).build();
    }

    /**
     * Where the browser goes after signing in: only one of the dashboard's own pages, never an address elsewhere (an
     * open redirect) nor anything that is not a plain path.
     */
    static String safeTarget(String then) {
        if (then != null && TARGET.matcher(then).matches() && !then.startsWith("/dashboard/sign-in")) {
            return then;
        }
        return "/dashboard";
    }
}
