package dev.drep.scanner.planning;

import dev.drep.scanner.ScannerConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sends the planning requests of queued jobs that were recorded but never confirmed on the broker
 * ({@link PlanningQueue}'s outbox): a scanner that died between saving a job and sending its request, or a broker
 * that was down then. Every {@code drep.scanner.jobs.watch-interval}, jobs recorded more than
 * {@code drep.scanner.jobs.relay-after} ago are sent again, a batch at a time. Every replica relays; two replicas
 * sending the same request only plan it once (planning skips a job that is no longer QUEUED).
 */
@ApplicationScoped
public class PlanningRelay {
    private static final Logger LOG = Logger.getLogger(PlanningRelay.class);
    private static final int BATCH = 100;

    private final PlanningQueue queue;
    private final Pool pool;
    private final ScannerConfig config;

    public PlanningRelay(PlanningQueue queue, Pool pool, ScannerConfig config) {
        this.queue = queue;
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(identity = "drep-planning-relay", every = "${drep.scanner.jobs.watch-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.jobs().relayAfter());
        return pool.preparedQuery("SELECT id FROM scanner.job WHERE status = 'QUEUED' AND planning_sent_at IS NULL "
                        + "AND created_at < $1 ORDER BY created_at LIMIT " + BATCH)
                .execute(Tuple.of(cutoff))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getUUID("id"));
                    }
                    return ids;
                })
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> {
                    LOG.warnf("job %s was recorded but its planning request never reached the broker: sending it again", id);
                    return queue.send(id).onFailure().invoke(failure -> LOG.warnf(
                            "the planning request of job %s could not be sent (%s); tried again in %s", id,
                            failure.getMessage(), config.jobs().watchInterval())).onFailure().recoverWithNull();
                })
                .collect().last()
                .onFailure().invoke(failure -> LOG.warnf("the planning relay failed (retried at the next interval): %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
