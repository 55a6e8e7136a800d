package dev.drep.scanner.dashboard;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * Who is looking at a dashboard page, for the pages' header ({@code inject:viewer}): the API token's name, or the user
 * name the OIDC provider gave. Used only on pages that already required the caller to sign in.
 */
@Named("viewer")
@RequestScoped
public class Viewer {
    private final SecurityIdentity caller;

    public Viewer(SecurityIdentity caller) {
        this.caller = caller;
    }

    /** @return the signed-in caller's name */
    public String name() {
        return caller.getPrincipal().getName();
    }
}
