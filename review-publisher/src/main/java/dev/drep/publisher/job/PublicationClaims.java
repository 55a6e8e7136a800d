package dev.drep.publisher.job;

import dev.drep.publisher.platform.PublisherConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Claims on stored reviews (columns {@code claimed_by}, {@code claim_expires_at} of {@code tracked_job}): the
 * replica that holds a job's claim is the only one working on it — posting its review while it is PUBLISHING, sending
 * its final event once it is PUBLISHED or FAILED and until the event is recorded as sent ({@code notified}). Each
 * method is one short statement or transaction; nothing here is held while a review is posted or an event sent.
 *
 * <ul>
 *   <li>A claim is taken only on a PUBLISHING job whose claim is free or expired, and only when no other job of
 *       the same pull request (or repository, for scans) holds an unexpired claim. The check and the claim run
 *       under a transaction-scoped advisory lock on that place, held for the few milliseconds of the claim, so two
 *       jobs of one pull request are never claimed at once.</li>
 *   <li>The holder renews the lease while it posts. Recording a final outcome keeps the claim, for another lease,
 *       as the claim on the job's final event; recording a deferral gives it up. A replica that dies leaves a claim
 *       that expires after {@code drep.publisher.claim.lease}; any replica's scheduled retry then takes the review,
 *       or the sending of its final event, over.</li>
 *   <li>A final event is sent only under its claim, and the claim is given up when the event is recorded as sent:
 *       two resume passes (of one replica, or of two) and the poster never send one event at the same time.</li>
 * </ul>
 */
@ApplicationScoped
public class PublicationClaims {
    private final Pool pool;
    private final Duration lease;
    /** this replica's name in {@code claimed_by}: a new one per process, so a restart never mistakes an old claim for its own */
    private final String owner;

    public PublicationClaims(Pool pool, PublisherConfig config) {
        this.pool = pool;
        this.lease = config.claim().lease();
        String host = System.getenv().getOrDefault("HOSTNAME", "publisher");
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.owner = (host.length() > 50 ? host.substring(0, 50) : host) + "/" + id;
    }

    /** @return this replica's owner id */
    public String owner() {
        return owner;
    }

    /** @return how long a claim lasts unless renewed */
    public Duration lease() {
        return lease;
    }

    /** @return true when this replica now holds the job's claim (false: not PUBLISHING, claimed, or its place is busy) */
    public Uni<Boolean> claim(String jobId) {
        return pool.withTransaction(connection -> query(connection,
                "SELECT scope_key FROM publisher.tracked_job WHERE job_id = $1 AND stage = 'PUBLISHING'", Tuple.of(jobId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    String scopeKey = rows.iterator().next().getString("scope_key");
                    Uni<Void> locked = scopeKey == null ? Uni.createFrom().voidItem()
                            : query(connection, "SELECT 1 FROM pg_advisory_xact_lock(hashtextextended($1, 0))",
                                    Tuple.of(scopeKey)).replaceWithVoid();
                    return locked.chain(() -> query(connection, "UPDATE publisher.tracked_job t SET claimed_by = $2,"
                            + " claim_expires_at = now() + $3 * interval '1 millisecond'"
                            + " WHERE t.job_id = $1 AND t.stage = 'PUBLISHING'"
                            + " AND (t.claim_expires_at IS NULL OR t.claim_expires_at < now())"
                            + " AND (t.scope_key IS NULL OR NOT EXISTS (SELECT 1 FROM publisher.tracked_job o"
                            + " WHERE o.scope_key = t.scope_key AND o.job_id <> t.job_id AND o.stage = 'PUBLISHING'"
                            + " AND o.claim_expires_at >= now()))", Tuple.of(jobId, owner, lease.toMillis())))
                            .map(updated -> updated.rowCount() == 1);
                }));
    }

    /** @return true when the claim is still this replica's and now lasts another lease; false when it was lost */
    public Uni<Boolean> renew(String jobId) {
        return pool.preparedQuery("UPDATE publisher.tracked_job SET claim_expires_at = now() + $3 * interval '1 millisecond'"
                        + " WHERE job_id = $1 AND claimed_by = $2 AND stage = 'PUBLISHING'")
                .execute(Tuple.of(jobId, owner, lease.toMillis()))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Gives up this replica's claim (the post stopped unexpectedly, or the final event could not be sent): the
     * scheduled retry may take it at once.
     */
    public Uni<Void> release(String jobId) {
        return pool.preparedQuery("UPDATE publisher.tracked_job SET claimed_by = NULL, claim_expires_at = NULL"
                        + " WHERE job_id = $1 AND claimed_by = $2")
                .execute(Tuple.of(jobId, owner))
                .replaceWithVoid();
    }

    /**
     * Claims the sending of an ended job's final event, for one lease.
     *
     * @return true when this replica now holds it (false: sent already, or another replica's claim on it holds)
     */
    public Uni<Boolean> claimFinalEvent(String jobId) {
        return pool.preparedQuery("UPDATE publisher.tracked_job SET claimed_by = $2,"
                        + " claim_expires_at = now() + $3 * interval '1 millisecond'"
                        + " WHERE job_id = $1 AND stage IN ('PUBLISHED', 'FAILED') AND NOT notified"
                        + " AND (claim_expires_at IS NULL OR claim_expires_at < now()) RETURNING job_id")
                .execute(Tuple.of(jobId, owner, lease.toMillis()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Records that the job's final event was sent, and gives up the claim on it. */
    public Uni<Void> finalEventSent(String jobId) {
        return pool.preparedQuery("UPDATE publisher.tracked_job SET notified = true, claimed_by = NULL,"
                        + " claim_expires_at = NULL WHERE job_id = $1")
                .execute(Tuple.of(jobId))
                .replaceWithVoid();
    }

    /** @return the PUBLISHING jobs of {@code scopeKey} that are due and unclaimed, oldest first */
    public Uni<List<String>> waitingIn(String scopeKey) {
        return pool.preparedQuery("SELECT job_id FROM publisher.tracked_job WHERE scope_key = $1 AND stage = 'PUBLISHING'"
                        + " AND (next_attempt_at IS NULL OR next_attempt_at <= now())"
                        + " AND (claim_expires_at IS NULL OR claim_expires_at < now()) ORDER BY created_at")
                .execute(Tuple.of(scopeKey))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getString("job_id"));
                    }
                    return ids;
                });
    }

    private static Uni<RowSet<Row>> query(SqlConnection connection, String sql, Tuple args) {
        return connection.preparedQuery(sql).execute(args);
    }
}
