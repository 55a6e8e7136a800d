package dev.drep.publisher.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Gauges of the work the publisher is waiting for, read from its tables every
 * {@code drep.publisher.metrics.refresh-interval} (see {@code PublisherConfig.Metrics}), so every replica reports the same, database-wide
 * values: {@code drep_publisher_units_awaited} (results of planned units not yet received, over the jobs
 * still gathering) and {@code drep_publisher_reviews_pending} (reviews composed and stored, not yet
 * posted: posting, or deferred because the platform was unavailable).
 */
@ApplicationScoped
public class PendingWorkGauges {
    private static final Logger LOG = Logger.getLogger(PendingWorkGauges.class);

    private final Pool pool;
    private final AtomicLong unitsAwaited = new AtomicLong();
    private final AtomicLong reviewsPending = new AtomicLong();

    /**
     * @param registry        Micrometer
     * @param pool            the reactive PostgreSQL pool
     */
    public PendingWorkGauges(MeterRegistry registry, Pool pool) {
        this.pool = pool;
        Gauge.builder("drep.publisher.units.awaited", unitsAwaited, AtomicLong::get)
                .description("Results of planned work units not received yet (all replicas, from the database)")
                .register(registry);
        Gauge.builder("drep.publisher.reviews.pending", reviewsPending, AtomicLong::get)
                .description("Reviews stored and not posted yet (all replicas, from the database)").register(registry);
    }

    @Scheduled(identity = "drep-publisher-pending-gauges", every = "${drep.publisher.metrics.refresh-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query("SELECT "
                        + "(SELECT coalesce(sum(greatest(t.units_total - (SELECT count(*) FROM publisher.received_result r "
                        + "WHERE r.job_id = t.job_id), 0)), 0)::bigint FROM publisher.tracked_job t WHERE t.stage = 'GATHERING') AS awaited, "
                        + "(SELECT count(*) FROM publisher.tracked_job WHERE stage = 'PUBLISHING') AS pending")
                .execute()
                .invoke(rows -> {
                    for (Row row : rows) {
                        unitsAwaited.set(row.getLong("awaited"));
                        reviewsPending.set(row.getLong("pending"));
                    }
                })
                .onFailure().invoke(failure -> LOG.debugf("pending-work gauges not refreshed: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
