package dev.drep.scanner.webhook;

import dev.drep.scanner.ScannerConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Deletes the records of webhook deliveries older than {@code drep.scanner.webhook-delivery-retention}, every
 * hour, so that the delivery log does not grow without bound at thousands of pull requests a day. Every replica
 * purges; the statement is idempotent. A redelivery of a purged delivery is handled as a new one (the platform's
 * own redelivery window is days, the default retention two weeks).
 */
@Startup
@ApplicationScoped
public class DeliveryRetention {
    private static final Logger LOG = Logger.getLogger(DeliveryRetention.class);
    private static final long INTERVAL_MILLIS = 60 * 60 * 1000L;

    private final Vertx vertx;
    private final Pool pool;
    private final ScannerConfig config;
    private long timer = -1;

    public DeliveryRetention(Vertx vertx, Pool pool, ScannerConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.config = config;
    }

    @PostConstruct
    void start() {
        timer = vertx.setPeriodic(INTERVAL_MILLIS, id -> purge(Instant.now()).subscribe().with(
                deleted -> {
                    if (deleted > 0) {
                        LOG.debugf("deleted %d webhook delivery records past their retention", deleted);
                    }
                },
                failure -> LOG.warnf("purging webhook delivery records failed (retried in an hour): %s",
                        failure.getMessage())));
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** @return how many delivery records older than the retention at {@code now} were deleted */
    public Uni<Integer> purge(Instant now) {
        return pool.preparedQuery("DELETE FROM scanner.webhook_delivery WHERE received_at < $1")
                .execute(Tuple.of(now.minus(config.webhookDeliveryRetention()).atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }
}
