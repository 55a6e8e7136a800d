package dev.drep.scanner.platform;

import dev.drep.core.platform.AccessAllowances;
import dev.drep.core.platform.HostBinding;
import dev.drep.core.platform.HostResolver;
import dev.drep.core.platform.HostRules;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/** The host rules as the scanner's configuration sets them, for registrations, git fetches and lookups. */
@ApplicationScoped
public class PlatformAccess {
    private final HostRules rules;
    private final long maxResponseBytes;

    public PlatformAccess(PlatformAccessConfig config) {
        this.rules = rules(config, HostResolver.SYSTEM);
        this.maxResponseBytes = config.maxResponseSize().asLongValue();
    }

    /** @return the rules {@code config} sets, resolving host names with {@code resolver} */
    public static HostRules rules(PlatformAccessConfig config, HostResolver resolver) {
        Map<String, HostBinding> bindings = new HashMap<>();
        config.bindings().forEach((ref, binding) -> bindings.put(ref, new HostBinding(
                HostRules.clean(binding.apiUrls().orElse(null)), HostRules.clean(binding.gitHosts().orElse(null)))));
        return new HostRules(bindings, new AccessAllowances(config.allowFileUrls(), config.allowPlainHttp(),
                config.allowPrivateAddresses()), resolver);
    }

    /** @return the rules */
    public HostRules rules() {
        return rules;
    }

    /** @return the largest platform answer read, in bytes */
    public long maxResponseBytes() {
        return maxResponseBytes;
    }
}
