package dev.drep.scanner.job;

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
 * Deletes jobs that finished (DONE or FAILED) longer than {@code drep.scanner.job-retention} ago, with their stage
 * records (cascade), every hour, in batches of {@code drep.scanner.retention-batch-size} so that no statement holds
 * many row locks or a long transaction. Unfinished jobs are never deleted. Every replica purges; the statement is
 * idempotent, and two replicas deleting at once skip each other's rows.
 */
@ApplicationScoped
public class JobRetention {
    private static final Logger LOG = Logger.getLogger(JobRetention.class);
    /** Each batch is one statement, committed on its own. */
    private static final String DELETE_BATCH = "DELETE FROM scanner.job WHERE id IN (SELECT id FROM scanner.job "
            + "WHERE finished_at < $1 AND status IN ('DONE', 'FAILED') ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED)";

    private final Pool pool;
    private final ScannerConfig config;

    public JobRetention(Pool pool, ScannerConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(identity = "drep-job-retention", every = "1h", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return purge(Instant.now(), config.retentionBatchSize())
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("deleted %d jobs that finished more than %s ago", deleted, config.jobRetention());
                    }
                })
                .onFailure().invoke(failure -> LOG.warnf("purging finished jobs failed (retried in an hour): %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** @return how many jobs that finished before the retention at {@code now} were deleted, {@code batchSize} at a time */
    public Uni<Long> purge(Instant now, int batchSize) {
        Tuple arguments = Tuple.of(now.minus(config.jobRetention()).atOffset(ZoneOffset.UTC), batchSize);
        return Uni.createFrom().deferred(() -> pool.preparedQuery(DELETE_BATCH).execute(arguments).map(rows -> rows.rowCount()))
                .repeat().whilst(deleted -> deleted == batchSize)
                .collect().in(() -> new long[1], (sum, deleted) -> sum[0] += deleted)
                .map(sum -> sum[0]);
    }
}
