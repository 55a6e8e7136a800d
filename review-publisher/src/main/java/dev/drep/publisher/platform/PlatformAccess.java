package dev.drep.publisher.platform;

import dev.drep.core.platform.AccessAllowances;
import dev.drep.core.platform.HostBinding;
import dev.drep.core.platform.HostResolver;
import dev.drep.core.platform.HostRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;

/**
 * The host rules as the publisher's configuration sets them: every request of an adapter is checked
 * against them before it is sent, whatever the plan names.
 */
@ApplicationScoped
public class PlatformAccess {
    private final HostRules rules;
    private final long maxResponseBytes;

    @Inject
    public PlatformAccess(PlatformAccessConfig config) {
        this(rules(config), config.maxResponseSize().asLongValue());
    }

    /**
     * @param rules            the host rules
     * @param maxResponseBytes the largest platform answer read
     */
    public PlatformAccess(HostRules rules, long maxResponseBytes) {
        this.rules = rules;
        this.maxResponseBytes = maxResponseBytes;
    }

    private static HostRules rules(PlatformAccessConfig config) {
        Map<String, HostBinding> bindings = new HashMap<>();
        config.bindings().forEach((ref, binding) -> bindings.put(ref, new HostBinding(
                HostRules.clean(binding.apiUrls().orElse(null)), HostRules.clean(binding.gitHosts().orElse(null)))));
        return new HostRules(bindings, new AccessAllowances(config.allowFileUrls(), config.allowPlainHttp(),
                config.allowPrivateAddresses()), HostResolver.SYSTEM);
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
