package dev.drep.scanner.dashboard;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationCompletionException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The page a browser gets when the OIDC sign-in cannot be completed: quarkus-oidc refuses a callback whose state this
 * browser never sent (a forged or replayed sign-in link), an id_token of another issuer or audience, a nonce that does
 * not match, or a code the provider will not exchange, and answers 401 with no body, which a browser shows as an error
 * of its own. This page says what happened and offers a new sign-in; nothing is signed in. The reason goes to the log
 * (quarkus' messages name the check that failed; the claims of a refused token, a person's data, are left out).
 */
@ApplicationScoped
public class SignInFailurePage {
    private static final Logger LOG = Logger.getLogger(SignInFailurePage.class);

    @CheckedTemplate(basePath = "SignOutResource")
    static class Templates {
        static native TemplateInstance signInFailed();
    }

    void register(@Observes Router router) {
        router.route("/dashboard/*").failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        if (!(context.failure() instanceof AuthenticationCompletionException) || context.response().ended()) {
            context.next();
            return;
        }
        LOG.infof("dashboard sign-in through the OIDC provider refused at %s: %s", context.normalizedPath(),
                withoutClaims(context.failure().getMessage()));
        context.response().setStatusCode(401).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(Templates.signInFailed().render());
    }

    /** @return the message without the claims jose4j quotes from a refused token (the check that failed stays) */
    static String withoutClaims(String message) {
        return message == null ? "(no reason given)"
                : message.replaceAll("\\(claims->.*\\) rejected", "(claims not logged) rejected");
    }
}
