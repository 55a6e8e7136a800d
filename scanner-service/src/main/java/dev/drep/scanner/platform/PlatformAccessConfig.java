package dev.drep.scanner.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where platform requests and tokens may go ({@code drep.platform-access.*}; the publisher reads the same
 * keys). See {@link dev.drep.core.platform.HostRules} and docs/architecture.md, "Host binding".
 */
@ConfigMapping(prefix = "drep.platform-access")
public interface PlatformAccessConfig {

    /** The hosts each secret reference's token may be sent to, by reference name (e.g. {@code github-token}). */
    Map<String, Binding> bindings();

    /** Accept {@code file:} clone URLs (repositories on the service's own disk). */
    @WithDefault("false")
    boolean allowFileUrls();

    /** Accept plain {@code http:} API and clone URLs. */
    @WithDefault("false")
    boolean allowPlainHttp();

    /** Accept hosts that resolve to loopback, link-local or private addresses. */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** Largest platform answer read; a larger one fails the request. */
    @WithDefault("10M")
    MemorySize maxResponseSize();

    /** One reference's hosts. */
    interface Binding {
        /** API roots the token may be sent to, e.g. {@code https://api.github.com}. */
        Optional<List<String>> apiUrls();

        /** Git hosts ({@code host} or {@code host:port}) the token may be sent to, e.g. {@code github.com}. */
        Optional<List<String>> gitHosts();
    }
}
