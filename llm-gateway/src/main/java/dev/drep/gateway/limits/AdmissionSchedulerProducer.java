package dev.drep.gateway.limits;

import dev.drep.gateway.GatewayConfig;
import dev.drep.gateway.time.SystemTicker;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The gateway's one {@link AdmissionScheduler}, from {@code drep.gateway.limits.*}. */
public class AdmissionSchedulerProducer {

    /**
     * @param config the gateway configuration
     * @param ticker time and timers
     * @return the scheduler
     */
    @Produces
    @Singleton
    public AdmissionScheduler scheduler(GatewayConfig config, SystemTicker ticker) {
        GatewayConfig.Limits limits = config.limits();
        return new AdmissionScheduler(new AdmissionLimits(limits.maxConcurrent(), limits.maxConcurrentPerRepository(),
                limits.requestsPerMinute(), limits.tokensPerMinute(), limits.window(), limits.maxQueueWait(),
                limits.maxQueued()), ticker);
    }
}
