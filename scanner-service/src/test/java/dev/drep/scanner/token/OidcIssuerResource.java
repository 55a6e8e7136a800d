package dev.drep.scanner.token;

import java.util.HashMap;
import java.util.Map;

/**
 * The shared test OIDC issuer ({@link dev.drep.testsupport.identity.OidcIssuerResource}) with the scanner's group
 * mapping: members of {@link #READERS_GROUP} get {@code jobs:read}.
 */
public class OidcIssuerResource extends dev.drep.testsupport.identity.OidcIssuerResource {
    static final String READERS_GROUP = "drep-readers";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("drep.identity.role-scopes.\"" + READERS_GROUP + "\"", "jobs:read");
        return config;
    }
}
