package dev.drep.gateway;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes the gateway registers on its HTTP router outside JAX-RS (as {@code METHOD /path}), read from the router
 * the application was started with: a route added there that the OpenAPI document does not describe cannot escape
 * the endpoint access check. Quarkus' own routes (under {@code /q/}) and routes without a path (JAX-RS' catch-all)
 * are left out.
 */
@ApplicationScoped
public class RegisteredRoutes {
    private volatile Router router;

    void capture(@Observes(notifyObserver = Reception.ALWAYS) Router started) {
        this.router = started;
    }

    /** @return {@code METHOD /path} of every route with one method and a path of the application's own */
    public Set<String> operations() {
        Set<String> found = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null || path.startsWith("/q/") || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            route.methods().forEach(method -> found.add(method.name() + " " + path));
        }
        return found;
    }
}
