package dev.drep.analyzer.unit;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Deletes the records of processed units older than {@code drep.analyzer.units.processed-retention}, every hour, in
 * batches of {@code drep.analyzer.units.retention-batch-size}, each one statement committed on its own. A record
 * only serves to recognise a redelivery of its unit, which comes within minutes. Every replica purges; two replicas
 * deleting at once skip each other's rows.
 */
@ApplicationScoped
public class ProcessedUnitRetention {
    private static final Logger LOG = Logger.getLogger(ProcessedUnitRetention.class);
    private static final String DELETE_BATCH = "DELETE FROM analyzer.processed_unit WHERE unit_id IN (SELECT unit_id "
            + "FROM analyzer.processed_unit WHERE processed_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)";

    private final Pool pool;
    private final UnitIntakeConfig config;

    public ProcessedUnitRetention(Pool pool, UnitIntakeConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(identity = "drep-processed-unit-retention", every = "1h", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return purge(Instant.now(), config.retentionBatchSize())
                .onItemOrFailure().invoke((deleted, failure) -> {
                    if (failure != null) {
                        LOG.warnf("purging processed-unit records failed (retried in an hour): %s", failure.getMessage());
                    } else if (deleted > 0) {
                        LOG.debugf("deleted %d processed-unit records older than %s", deleted, config.processedRetention());
                    }
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** @return how many records older than the retention at {@code now} were deleted, {@code batchSize} at a time */
    public Uni<Long> purge(Instant now, int batchSize) {
        Tuple arguments = Tuple.of(now.minus(config.processedRetention()).atOffset(ZoneOffset.UTC), batchSize);
        return Uni.createFrom().deferred(() -> pool.preparedQuery(DELETE_BATCH).execute(arguments).map(rows -> rows.rowCount()))
                .repeat().whilst(deleted -> deleted == batchSize)
                .collect().in(() -> new long[1], (sum, deleted) -> sum[0] += deleted)
                .map(sum -> sum[0]);
    }
}
