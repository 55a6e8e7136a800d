package dev.drep.publisher.job;

import dev.drep.publisher.platform.PublisherConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Deletes tracked jobs that ended (PUBLISHED or FAILED, their final event sent) longer than
 * {@code drep.publisher.retention.jobs} ago, with their received results and commit status records, every hour, in
 * batches of {@code drep.publisher.retention.batch-size}, each one statement committed on its own. A job still
 * GATHERING that long after it was registered was abandoned (the scanner fails a job at its deadline, 30 minutes by
 * default) and goes too; a job PUBLISHING is never deleted (its post is still being retried), nor one whose final
 * event is not sent. The records of a pull request's comments ({@code publish_scope}, {@code posted_finding}) are
 * kept: the next job of that pull request needs them to update rather than repeat its comments. Answers to commands
 * ({@code command_reply}) go {@code drep.publisher.retention.command-replies} after they were posted. Every replica
 * purges; two replicas deleting at once skip each other's rows.
 */
@ApplicationScoped
public class JobRetention {
    private static final Logger LOG = Logger.getLogger(JobRetention.class);
    /** The results and statuses of the chosen jobs go in the same statement (foreign keys are checked at its end). */
    private static final String DELETE_BATCH = "WITH doomed AS (SELECT job_id FROM publisher.tracked_job"
            + " WHERE (stage IN ('PUBLISHED', 'FAILED') AND notified AND coalesce(published_at, created_at) < $1)"
            + " OR (stage = 'GATHERING' AND created_at < $1)"
            + " ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED),"
            + " results AS (DELETE FROM publisher.received_result r USING doomed d WHERE r.job_id = d.job_id),"
            + " statuses AS (DELETE FROM publisher.commit_status s USING doomed d WHERE s.job_id = d.job_id)"
            + " DELETE FROM publisher.tracked_job t USING doomed d WHERE t.job_id = d.job_id";

    /** Answers to commands: posted ones by when they were posted, unposted ones nobody holds by when recorded. */
    private static final String DELETE_REPLIES = "DELETE FROM publisher.command_reply WHERE reply_id IN (SELECT reply_id"
            + " FROM publisher.command_reply WHERE (state = 'POSTED' AND posted_at < $1) OR (state = 'SENDING'"
            + " AND created_at < $1 AND (claim_expires_at IS NULL OR claim_expires_at < now()))"
            + " ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)";

    private final Pool pool;
    private final PublisherConfig.Retention config;

    public JobRetention(Pool pool, PublisherConfig config) {
        this.pool = pool;
        this.config = config.retention();
    }

    @Scheduled(identity = "drep-publisher-job-retention", every = "1h", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return purge(Instant.now(), config.batchSize())
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("deleted %d jobs that ended more than %s ago, with their results", deleted,
                                config.jobs());
                    }
                })
                .call(() -> purgeReplies(Instant.now(), config.batchSize()).invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("deleted %d answers to commands older than %s", deleted, config.commandReplies());
                    }
                }))
                .onFailure().invoke(failure -> LOG.warnf("purging ended jobs failed (retried in an hour): %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** @return how many jobs past the retention at {@code now} were deleted, {@code batchSize} at a time */
    public Uni<Long> purge(Instant now, int batchSize) {
        return inBatches(DELETE_BATCH, Tuple.of(now.minus(config.jobs()).atOffset(ZoneOffset.UTC), batchSize), batchSize);
    }

    /**
     * @return how many answers to commands past {@code drep.publisher.retention.command-replies} at {@code now} were
     *         deleted, {@code batchSize} at a time
     */
    public Uni<Long> purgeReplies(Instant now, int batchSize) {
        return inBatches(DELETE_REPLIES, Tuple.of(now.minus(config.commandReplies()).atOffset(ZoneOffset.UTC), batchSize),
                batchSize);
    }

    private Uni<Long> inBatches(String statement, Tuple arguments, int batchSize) {
        return Uni.createFrom().deferred(() -> pool.preparedQuery(statement).execute(arguments).map(rows -> rows.rowCount()))
                .repeat().whilst(deleted -> deleted == batchSize)
                .collect().in(() -> new long[1], (sum, deleted) -> sum[0] += deleted)
                .map(sum -> sum[0]);
    }
}
