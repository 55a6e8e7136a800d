package dev.drep.scanner.webhook;

import dev.drep.scanner.ScannerConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
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
@ApplicationScoped
public class DeliveryRetention {
    private static final Logger LOG = Logger.getLogger(DeliveryRetention.class);

    private final Pool pool;
    private final ScannerConfig config;

    public DeliveryRetention(Pool pool, ScannerConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(identity = "drep-webhook-delivery-retention", every = "1h", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return purge(Instant.now())
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.debugf("deleted %d webhook delivery records past their retention", deleted);
                    }
                })
                .onFailure().invoke(failure -> LOG.warnf("purging webhook delivery records failed (retried in an hour): %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Also deletes the records of commands given in comments ({@code pull_request_command}) received before the same
     * point: a platform redelivers a comment's webhook within days, not weeks. Pauses are state and stay.
     *
     * @return how many delivery and command records older than the retention at {@code now} were deleted
     */
    public Uni<Integer> purge(Instant now) {
        Tuple before = Tuple.of(now.minus(config.webhookDeliveryRetention()).atOffset(ZoneOffset.UTC));
        return pool.preparedQuery("DELETE FROM scanner.webhook_delivery WHERE received_at < $1").execute(before)
                .chain(deliveries -> pool.preparedQuery("DELETE FROM scanner.pull_request_command WHERE received_at < $1")
                        .execute(before).map(commands -> deliveries.rowCount() + commands.rowCount()));
    }
}
