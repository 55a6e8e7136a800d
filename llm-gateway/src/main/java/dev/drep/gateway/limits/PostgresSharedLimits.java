package dev.drep.gateway.limits;

import dev.drep.gateway.limits.ReplicaGrants.Allowance;
import dev.drep.gateway.limits.ReplicaGrants.Answer;
import dev.drep.gateway.limits.ReplicaGrants.Applied;
import dev.drep.gateway.limits.ReplicaGrants.Exchange;
import dev.drep.gateway.time.Ticker;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.data.Interval;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * {@link SharedLimits} in the gateway's PostgreSQL by grants (tables {@code gateway.admission_*}, migration V4): the
 * replica holds concurrency slots per repository and an allowance of requests and tokens from the current rate
 * bucket, granted by {@code gateway.admission_sync}, and admits and releases requests against them in memory. It
 * goes back to the database only when a request does not fit what it holds (one exchange for every request waiting
 * by then), and every {@code rebalance} interval while it holds anything: to give back slots it has not used since
 * the last interval and allowance of a bucket that is over, to correct tokens with actual usage, and to learn
 * whether another replica is waiting. While another replica waits, it gives a slot back as soon as its request is
 * over and claims no more than a fair share, so the replicas take turns as with one statement per request.
 *
 * <p>The sum of all grants never exceeds a limit, so the replicas together never do. The replica holds a lease
 * renewed every third of the lease time; when it dies, the next heartbeat of any other replica after the lease ran
 * out deletes its grants, so its slots come back within one lease time plus one heartbeat interval. Time is the
 * database's, so replicas with skewed clocks share the same rate windows.
 *
 * <p>What the replica holds and what an exchange sends and means is {@link ReplicaGrants}'s (in memory, no database);
 * this class runs the exchanges (one at a time, every request waiting by then in it), the rebalance timer, the lease
 * and the giving back of everything when it closes.
 */
public final class PostgresSharedLimits implements SharedLimits, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresSharedLimits.class);
    private static final CompletionStage<Verdict> ADMITTED = CompletableFuture.completedFuture(Verdict.ADMITTED);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private static final String SYNC = "SELECT lease_ok, slots, short_of, granted_requests, granted_tokens, "
            + "rate_bucket, bucket_left_ms, rate_retry_ms, others_waiting FROM gateway.admission_sync("
            + "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
    private static final String HEARTBEAT = "SELECT gateway.admission_heartbeat($1, $2, $3) AS alive";
    private static final String LEAVE = "SELECT gateway.admission_leave($1)";

    private final Pool pool;
    private final AdmissionLimits limits;
    private final Ticker ticker;
    private final UUID replica;
    private final Duration lease;
    private final long rebalanceNanos;
    private final Interval window;
    private final Interval bucket;
    private final Interval keep;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean heartbeatRunning = new AtomicBoolean();
    /** Rebalances that failed in a row: the first is logged, then the recovery. */
    private final AtomicInteger failedRebalances = new AtomicInteger();
    private final AtomicLong exchanges = new AtomicLong();
    private volatile Ticker.Cancellable nextHeartbeat;
    /** When the last heartbeat that found or took the lease was sent (ticker time); 0 before the first. */
    private volatile long renewedAt;

    // ------------------------------------------------------------ guarded by this
    /** What this replica holds, uses and waits for. */
    private final ReplicaGrants grants;
    /** An exchange is under way: one at a time; what comes up meanwhile goes with the next. */
    private boolean exchanging;
    private Ticker.Cancellable nextRebalance;

    /**
     * @param pool      the reactive pool of the gateway's database (migrated to V4)
     * @param limits    the limits, the same on every replica
     * @param ticker    timer of the heartbeat and the rebalancing
     * @param replica   this replica's id (a new one each start)
     * @param lease     how long a replica's slots outlive its last heartbeat
     * @param rebalance how often a replica that holds anything exchanges with the others
     */
    public PostgresSharedLimits(Pool pool, AdmissionLimits limits, Ticker ticker, UUID replica, Duration lease,
            Duration rebalance) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.replica = Objects.requireNonNull(replica, "replica");
        this.lease = Objects.requireNonNull(lease, "lease");
        if (lease.toMillis() < 30) {
            throw new IllegalArgumentException("the lease must be at least 30 ms, was " + lease);
        }
        if (rebalance.toMillis() < 1 || rebalance.compareTo(lease.dividedBy(3)) > 0) {
            throw new IllegalArgumentException("the rebalance interval must be between 1 ms and a third of the lease ("
                    + lease.dividedBy(3) + "), was " + rebalance);
        }
        this.rebalanceNanos = rebalance.toNanos();
        this.window = interval(limits.window());
        Duration bucketLength = limits.window().dividedBy(ReplicaGrants.BUCKETS_PER_WINDOW);
        this.bucket = interval(bucketLength.toNanos() < 1_000 ? Duration.ofNanos(1_000) : bucketLength);
        this.keep = interval(limits.window().multipliedBy(2).plus(lease));
        this.grants = new ReplicaGrants(limits, rebalance, ticker);
    }

    /** @return this replica's id */
    public UUID replica() {
        return replica;
    }

    /** @return exchanges with the shared state so far (claims, give-backs and rebalances; not heartbeats) */
    public long exchanges() {
        return exchanges.get();
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
        CompletionStage<Verdict> verdict;
        synchronized (this) {
            if (grants.admit(permit, repository, tokens)) {
                scheduleRebalance();
                return ADMITTED;
            }
            verdict = grants.queue(permit, repository, tokens);
            if (exchanging) {
                return verdict;
            }
            exchanging = true;
        }
        exchange();
        return verdict;
    }

    @Override
    public CompletionStage<Void> release(UUID permit, long actualTokens) {
        boolean start = false;
        synchronized (this) {
            if (grants.release(permit, actualTokens) && !exchanging) {
                exchanging = true;
                start = true;
            }
        }
        if (start) {
            exchange();
        }
        return DONE;
    }

    @Override
    public synchronized boolean othersWaiting() {
        return grants.othersWaiting();
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
            if (nextRebalance != null) {
                nextRebalance.cancel();
            }
        }
        pool.preparedQuery(LEAVE).execute(Tuple.of(replica)).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Could not give back this replica's shared admission slots "
                        + "(%s); they come back when its lease of %s runs out", e.getMessage(), lease))
                .onFailure().recoverWithNull()
                .await().atMost(Duration.ofSeconds(5));
    }

    // ------------------------------------------------------------ exchanges with the shared state

    /** One exchange with {@code admission_sync}; the caller has set {@link #exchanging}. */
    private void exchange() {
        Exchange x;
        synchronized (this) {
            x = grants.prepare();
        }
        exchanges.incrementAndGet();
        Tuple args = Tuple.tuple().addUUID(replica)
                .addArrayOfString(x.repositories().toArray(String[]::new))
                .addArrayOfInteger(x.wants().toArray(Integer[]::new))
                .addInteger(x.requests()).addLong(x.tokens()).addLong(x.needTokens())
                .addArrayOfOffsetDateTime(x.returnBuckets().toArray(OffsetDateTime[]::new))
                .addArrayOfInteger(x.returnRequests().toArray(Integer[]::new))
                .addArrayOfLong(x.returnTokens().toArray(Long[]::new))
                .addInteger(limits.maxConcurrent()).addInteger(limits.maxConcurrentPerRepository())
                .addInteger(limits.requestsPerWindow()).addLong(limits.tokensPerWindow())
                .addValue(window).addValue(bucket);
        pool.preparedQuery(SYNC).execute(args).subscribe().with(rows -> {
            try {
                answered(x, answer(rows.iterator().next()));
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "Could not apply the shared admission state's answer; the requests that waited for it "
                        + "ask again");
                failed(x, e, false);
            }
        }, failure -> failed(x, failure, true));
    }

    /** The row {@code admission_sync} returns; without a live lease its other columns mean nothing. */
    private static Answer answer(Row row) {
        if (!row.getBoolean("lease_ok")) {
            return Answer.leaseLost();
        }
        return new Answer(true, Arrays.asList(row.getArrayOfIntegers("slots")),
                Arrays.asList(row.getArrayOfStrings("short_of")), row.getInteger("granted_requests"),
                row.getLong("granted_tokens"), row.getOffsetDateTime("rate_bucket"),
                Duration.ofMillis(row.getLong("bucket_left_ms")), Duration.ofMillis(row.getLong("rate_retry_ms")),
                row.getBoolean("others_waiting"));
    }

    private void answered(Exchange x, Answer answer) {
        int failures = failedRebalances.getAndSet(0);
        if (failures > 0) {
            LOG.infof("The shared admission state answers again (after %d failed rebalances)", failures);
        }
        Applied applied;
        synchronized (this) {
            applied = grants.apply(x, answer);
            if (applied.leaseLost()) {
                heartbeatSoon();
            }
            Allowance granted = applied.granted();
            if (granted != null) {
                ticker.schedule(applied.renewInNanos(), () -> renew(granted));
            }
            exchanging = applied.exchangeAgain();
            scheduleRebalance();
        }
        applied.verdicts().forEach(Runnable::run);
        if (applied.exchangeAgain()) {
            exchange();
        }
    }

    /**
     * @param resend whether the exchange did not reach the database, so what it was to give back or correct goes
     *               with the next one
     */
    private void failed(Exchange x, Throwable failure, boolean resend) {
        List<CompletableFuture<Verdict>> refused;
        boolean again;
        synchronized (this) {
            refused = grants.failed(x, resend);
            again = grants.hasWaiting();
            exchanging = again;
            scheduleRebalance();
        }
        if (!refused.isEmpty()) {
            // the scheduler logs it and asks again until the request's wait runs out
            refused.forEach(verdict -> verdict.completeExceptionally(failure));
        } else if (failedRebalances.getAndIncrement() == 0) {
            LOG.warnf("Could not exchange with the shared admission state (%s: %s); retrying every %d ms",
                    failure.getClass().getSimpleName(), failure.getMessage(), rebalanceNanos / 1_000_000);
        }
        if (again) {
            exchange();
        }
    }

    private void renew(Allowance expired) {
        synchronized (this) {
            if (closed.get() || exchanging || !grants.renewDue(expired)) {
                return;
            }
            exchanging = true;
        }
        exchange();
    }

    /** While the replica holds or wants anything, it exchanges every rebalance interval. */
    private void scheduleRebalance() {
        if (nextRebalance != null || closed.get() || !grants.holdsAnything()) {
            return;
        }
        nextRebalance = ticker.schedule(rebalanceNanos, this::rebalance);
    }

    private void rebalance() {
        synchronized (this) {
            nextRebalance = null;
            if (closed.get()) {
                return;
            }
            if (exchanging) {
                scheduleRebalance();
                return;
            }
            exchanging = true;
        }
        exchange();
        synchronized (this) {
            grants.restartPeaks();
        }
    }

    // ------------------------------------------------------------ the lease

    private Uni<Void> heartbeat() {
        long sentAt = ticker.nanoTime();
        return pool.preparedQuery(HEARTBEAT).execute(Tuple.tuple().addUUID(replica).addValue(interval(lease))
                        .addValue(keep))
                .invoke(rows -> {
                    long previous = renewedAt;
                    renewedAt = sentAt == 0 ? 1 : sentAt;
                    if (!rows.iterator().next().getBoolean("alive")) {
                        int inUse;
                        synchronized (this) {
                            // a new lease: whatever the database held for this replica is gone
                            grants.forgetGrants();
                            inUse = grants.inUse();
                        }
                        if (previous == 0) {
                            LOG.debugf("gateway replica %s took a new admission lease", replica);
                        } else {
                            leaseLost(Duration.ofNanos(sentAt - previous), inUse);
                        }
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Says that the lease had run out, why, and what it means: the others were given this replica's slots while its
     * requests in flight went on.
     */
    private void leaseLost(Duration sinceRenewal, int inUse) {
        String why = sinceRenewal.compareTo(lease) > 0
                ? String.format("its heartbeat came %d ms after the last renewal, %d ms beyond the lease of %d ms "
                        + "(this replica or its database connection stalled: a long GC pause, an overloaded machine, a "
                        + "slow database; a longer drep.gateway.limits.lease tolerates longer stalls)",
                        sinceRenewal.toMillis(), sinceRenewal.minus(lease).toMillis(), lease.toMillis())
                : String.format("the shared state no longer had it %d ms after the last renewal (the database "
                        + "restarted or its admission tables were emptied)", sinceRenewal.toMillis());
        LOG.warnf("Gateway replica %s lost its shared admission lease: %s. The other replicas may have been given its "
                + "slots while %d of its requests were in flight, so the limits may be exceeded by those until they "
                + "end. It has taken a new lease; it asks for slots for its requests in flight at its next exchange "
                + "and admits no new one until it holds more than those",
                replica, why, inUse);
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
