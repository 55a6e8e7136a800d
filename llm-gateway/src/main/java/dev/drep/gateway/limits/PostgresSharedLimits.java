package dev.drep.gateway.limits;

import dev.drep.gateway.time.Ticker;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.data.Interval;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * {@link SharedLimits} in the gateway's PostgreSQL (tables {@code gateway.admission_*}, migration
 * V2): one statement to admit ({@code gateway.admission_admit}), one to release. The replica holds
 * a lease renewed every third of the lease time; when it dies, the next heartbeat of any other
 * replica after the lease ran out deletes its holds, so its slots come back within one lease time
 * plus one heartbeat interval. Time is the database's, so replicas with skewed clocks share the
 * same rate windows.
 */
public final class PostgresSharedLimits implements SharedLimits, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresSharedLimits.class);
    /** Buckets per rate window: the window is held with the granularity of one bucket. */
    private static final int BUCKETS_PER_WINDOW = 60;

    private static final String ADMIT = "SELECT verdict, retry_after_ms FROM gateway.admission_admit("
            + "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    private static final String RELEASE = "SELECT gateway.admission_release($1, $2)";
    private static final String HEARTBEAT = "SELECT gateway.admission_heartbeat($1, $2, $3) AS alive";
    private static final String LEAVE = "SELECT gateway.admission_leave($1)";

    private final Pool pool;
    private final AdmissionLimits limits;
    private final Ticker ticker;
    private final UUID replica;
    private final Duration lease;
    private final Interval window;
    private final Interval bucket;
    private final Interval keep;
    /** Releases that failed; the heartbeat sends them again, so no slot leaks while the replica lives. */
    private final Set<UUID> unreleased = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean heartbeatRunning = new AtomicBoolean();
    private volatile Ticker.Cancellable nextHeartbeat;

    /**
     * @param pool    the reactive pool of the gateway's database (migrated to V2)
     * @param limits  the limits, the same on every replica
     * @param ticker  timer of the heartbeat
     * @param replica this replica's id (a new one each start)
     * @param lease   how long a replica's slots outlive its last heartbeat
     */
    public PostgresSharedLimits(Pool pool, AdmissionLimits limits, Ticker ticker, UUID replica, Duration lease) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.replica = Objects.requireNonNull(replica, "replica");
        this.lease = Objects.requireNonNull(lease, "lease");
        if (lease.toMillis() < 30) {
            throw new IllegalArgumentException("the lease must be at least 30 ms, was " + lease);
        }
        this.window = interval(limits.window());
        Duration bucketLength = limits.window().dividedBy(BUCKETS_PER_WINDOW);
        this.bucket = interval(bucketLength.toNanos() < 1_000 ? Duration.ofNanos(1_000) : bucketLength);
        this.keep = interval(limits.window().multipliedBy(2).plus(lease));
    }

    /** @return this replica's id */
    public UUID replica() {
        return replica;
    }

    /**
     * Takes the lease and renews it from now on.
     *
     * @return completion of the first heartbeat
     */
    public Uni<Void> start() {
        return heartbeat().onTermination().invoke(() -> scheduleHeartbeat());
    }

    @Override
    public CompletionStage<Verdict> tryAdmit(UUID permit, String repository, long tokens) {
        Tuple args = Tuple.tuple().addUUID(replica).addUUID(permit).addString(repository).addLong(tokens)
                .addInteger(limits.maxConcurrent()).addInteger(limits.maxConcurrentPerRepository())
                .addInteger(limits.requestsPerWindow()).addLong(limits.tokensPerWindow())
                .addValue(window).addValue(bucket);
        return pool.preparedQuery(ADMIT).execute(args).map(rows -> verdict(rows.iterator().next()))
                .invoke(verdict -> {
                    if (verdict.outcome() == Outcome.NO_LEASE) {
                        heartbeatSoon();
                    }
                })
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Void> release(UUID permit, long actualTokens) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(permit, actualTokens)).replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Could not give back a shared admission slot (%s: %s); the next heartbeat retries",
                            e.getClass().getSimpleName(), e.getMessage());
                    unreleased.add(permit);
                    return Uni.createFrom().voidItem();
                })
                .subscribeAsCompletionStage();
    }

    /** Gives back every slot of this replica and its lease, and stops the heartbeat. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            if (nextHeartbeat != null) {
                nextHeartbeat.cancel();
            }
        }
        pool.preparedQuery(LEAVE).execute(Tuple.of(replica)).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Could not give back this replica's shared admission slots "
                        + "(%s); they come back when its lease of %s runs out", e.getMessage(), lease))
                .onFailure().recoverWithNull()
                .await().atMost(Duration.ofSeconds(5));
    }

    private static Verdict verdict(Row row) {
        String verdict = row.getString("verdict");
        return switch (verdict) {
            case "admitted" -> Verdict.ADMITTED;
            case "global" -> new Verdict(Outcome.GLOBAL_FULL, Duration.ZERO);
            case "repository" -> new Verdict(Outcome.REPOSITORY_FULL, Duration.ZERO);
            case "rate" -> new Verdict(Outcome.RATE_LIMITED, Duration.ofMillis(row.getLong("retry_after_ms")));
            case "lease" -> new Verdict(Outcome.NO_LEASE, Duration.ZERO);
            default -> throw new IllegalStateException("gateway.admission_admit answered '" + verdict
                    + "'; the database schema does not match this gateway version");
        };
    }

    private Uni<Void> heartbeat() {
        return pool.preparedQuery(HEARTBEAT).execute(Tuple.tuple().addUUID(replica).addValue(interval(lease))
                        .addValue(keep))
                .invoke(rows -> {
                    if (!rows.iterator().next().getBoolean("alive")) {
                        LOG.debugf("gateway replica %s took a new admission lease", replica);
                    }
                })
                .chain(() -> retryReleases())
                .replaceWithVoid();
    }

    private Uni<Void> retryReleases() {
        if (unreleased.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(unreleased.stream().map(permit -> pool.preparedQuery(RELEASE)
                        .execute(Tuple.of(permit, -1L)).invoke(() -> unreleased.remove(permit)).replaceWithVoid())
                .toList()).andCollectFailures().replaceWithVoid();
    }

    private void scheduleHeartbeat() {
        scheduleHeartbeat(lease.dividedBy(3).toNanos());
    }

    /** One chain of heartbeats: a new schedule replaces the pending one. */
    private synchronized void scheduleHeartbeat(long delayNanos) {
        if (closed.get()) {
            return;
        }
        if (nextHeartbeat != null) {
            nextHeartbeat.cancel();
        }
        nextHeartbeat = ticker.schedule(delayNanos, this::beat);
    }

    private void beat() {
        if (closed.get() || !heartbeatRunning.compareAndSet(false, true)) {
            return;
        }
        heartbeat().onTermination().invoke(() -> heartbeatRunning.set(false))
                .subscribe().with(ignored -> scheduleHeartbeat(), e -> {
                    LOG.warnf("Could not renew this gateway replica's admission lease (%s: %s); retrying",
                            e.getClass().getSimpleName(), e.getMessage());
                    scheduleHeartbeat();
                });
    }

    private void heartbeatSoon() {
        if (!heartbeatRunning.get()) {
            scheduleHeartbeat(0);
        }
    }

    private static Interval interval(Duration duration) {
        long micros = Math.max(1, duration.toNanos() / 1_000);
        long seconds = micros / 1_000_000;
        int microsOfSecond = (int) (micros % 1_000_000);
        return Interval.of(0, 0, 0, 0, 0, (int) seconds, microsOfSecond);
    }
}
