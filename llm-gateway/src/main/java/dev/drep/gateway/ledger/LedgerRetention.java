package dev.drep.gateway.ledger;

import dev.drep.gateway.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Deletes usage records ({@code gateway.usage_record}) older than {@code drep.gateway.retention.ledger}, every hour,
 * in batches of {@code drep.gateway.retention.batch-size}, each one statement committed on its own, and then the
 * totals of budget periods ({@code gateway.budget_usage}) that ended before the same point, and keys' rate buckets
 * ({@code gateway.key_rate}) a day old. Whatever the setting,
 * nothing of the current UTC month (the longest budget period) is deleted: the point is never later than the month's
 * start. Every replica purges; two replicas deleting at once skip each other's rows.
 */
@ApplicationScoped
public class LedgerRetention {
    private static final Logger LOG = Logger.getLogger(LedgerRetention.class);
    private static final String DELETE_BATCH = "DELETE FROM gateway.usage_record WHERE id IN (SELECT id "
            + "FROM gateway.usage_record WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)";
    private static final String DELETE_ENDED_PERIODS = "DELETE FROM gateway.budget_usage WHERE period_start "
            + "+ CASE period WHEN 'day' THEN interval '1 day' ELSE interval '1 month' END <= $1::timestamp";
    /** Keys' RPM/TPM buckets a day old reach into no window (a key's next request deletes its own old ones anyway). */
    private static final String DELETE_OLD_KEY_BUCKETS = "DELETE FROM gateway.key_rate "
            + "WHERE bucket_start < now() - interval '1 day'";

    private final Pool pool;
    private final GatewayConfig.Retention config;

    public LedgerRetention(Pool pool, GatewayConfig config) {
        this.pool = pool;
        this.config = config.retention();
    }

    @Scheduled(identity = "drep-ledger-retention", every = "1h", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return purge(Instant.now(), config.ledger(), config.batchSize())
                .onItemOrFailure().invoke((deleted, failure) -> {
                    if (failure != null) {
                        LOG.warnf("purging the usage ledger failed (retried in an hour): %s", failure.getMessage());
                    } else if (deleted > 0) {
                        LOG.infof("deleted %d usage records older than %s", deleted, config.ledger());
                    }
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * @return how many usage records older than {@code retention} at {@code now} (but not of {@code now}'s month)
     *         were deleted, {@code batchSize} at a time
     */
    public Uni<Long> purge(Instant now, Duration retention, int batchSize) {
        OffsetDateTime monthStart = now.atOffset(ZoneOffset.UTC).withDayOfMonth(1).toLocalDate().atStartOfDay()
                .atOffset(ZoneOffset.UTC);
        OffsetDateTime before = now.minus(retention).atOffset(ZoneOffset.UTC);
        OffsetDateTime cutoff = before.isBefore(monthStart) ? before : monthStart;
        Tuple arguments = Tuple.of(cutoff, batchSize);
        return Uni.createFrom().deferred(() -> pool.preparedQuery(DELETE_BATCH).execute(arguments).map(rows -> rows.rowCount()))
                .repeat().whilst(deleted -> deleted == batchSize)
                .collect().in(() -> new long[1], (sum, deleted) -> sum[0] += deleted)
                .call(() -> pool.preparedQuery(DELETE_ENDED_PERIODS).execute(Tuple.of(cutoff.toLocalDateTime())))
                .call(() -> pool.query(DELETE_OLD_KEY_BUCKETS).execute())
                .map(sum -> sum[0]);
    }
}
