package dev.drep.scanner.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How people sign in to the dashboard (prefix {@code drep.scanner.dashboard}). */
@ConfigMapping(prefix = "drep.scanner.dashboard")
public interface DashboardConfig {

    /**
     * Sign-in through the organisation's OIDC provider (authorization-code flow, the quarkus-oidc tenant
     * {@code dashboard}) instead of the API-token form; on by default where OIDC is enabled.
     */
    @WithDefault("false")
    boolean oidc();
}
