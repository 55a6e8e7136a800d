package dev.drep.gateway.limits;

import dev.drep.gateway.GatewayConfig;
import dev.drep.gateway.time.SystemTicker;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The gateway's one {@link AdmissionScheduler}, from {@code drep.gateway.limits.*}; with
 * {@code limits.shared} (the default) its limits are shared with every replica through
 * {@link PostgresSharedLimits}.
 */
public class AdmissionSchedulerProducer {

    private static final Logger LOG = Logger.getLogger(AdmissionSchedulerProducer.class);
    private static final Duration MAX_LEASE = Duration.ofSeconds(30);

    /**
     * @param config the gateway configuration
     * @return the limits
     */
    static AdmissionLimits limits(GatewayConfig config) {
        GatewayConfig.Limits limits = config.limits();
        return new AdmissionLimits(limits.maxConcurrent(), limits.maxConcurrentPerRepository(),
                limits.requestsPerMinute(), limits.tokensPerMinute(), limits.window(), limits.maxQueueWait(),
                limits.maxQueued());
    }

    /**
     * @param config the gateway configuration
     * @param ticker time and timers
     * @param pool   the gateway's database
     * @return the shared limits, or a holder of none when {@code limits.shared} is off
     */
    @Produces
    @Singleton
    public SharedLimitsHolder sharedLimits(GatewayConfig config, SystemTicker ticker, Pool pool) {
        if (!config.limits().shared()) {
            return new SharedLimitsHolder(null);
        }
        Duration lease = config.limits().lease();
        if (lease.compareTo(MAX_LEASE) > 0 || lease.toMillis() < 30) {
            throw new IllegalArgumentException("drep.gateway.limits.lease is " + lease + "; set it between 30ms and "
                    + MAX_LEASE.toSeconds() + "s (a dead replica's slots come back after it)");
        }
        PostgresSharedLimits shared = new PostgresSharedLimits(pool, limits(config), ticker, UUID.randomUUID(), lease,
                config.limits().rebalance());
        shared.start().subscribe().with(ignored -> LOG.infof("gateway replica %s shares its limits (lease %s)",
                shared.replica(), lease), e -> LOG.warnf("gateway replica %s could not take its admission lease yet "
                + "(%s); requests wait until it can", shared.replica(), e.getMessage()));
        return new SharedLimitsHolder(shared);
    }

    /**
     * Gives back this replica's shared slots as the gateway begins to stop, while its database pool is still open
     * (disposal alone can come after the pool closed, and the last rebalance would fail).
     *
     * @param event  the shutdown
     * @param holder the shared limits
     */
    void stopping(@Observes ShutdownEvent event, SharedLimitsHolder holder) {
        close(holder);
    }

    /**
     * Gives back this replica's shared slots when the gateway stops (once: a second close does nothing).
     *
     * @param holder the shared limits
     */
    public void close(@Disposes SharedLimitsHolder holder) {
        if (holder.shared() != null) {
            holder.shared().close();
        }
    }

    /**
     * @param config the gateway configuration
     * @param ticker time and timers
     * @param shared the shared limits, if any
     * @return the scheduler
     */
    @Produces
    @Singleton
    public AdmissionScheduler scheduler(GatewayConfig config, SystemTicker ticker, SharedLimitsHolder shared) {
        return new AdmissionScheduler(limits(config), ticker, shared.shared(), config.limits().sharedRetry());
    }

    /**
     * The shared limits of this replica, or none.
     *
     * @param shared the shared limits, or {@code null}
     */
    public record SharedLimitsHolder(PostgresSharedLimits shared) {
    }
}
