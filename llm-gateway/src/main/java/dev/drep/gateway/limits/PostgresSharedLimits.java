package dev.drep.gateway.limits;

import dev.drep.gateway.time.Ticker;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.data.Interval;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class PostgresSharedLimits implements SharedLimits, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresSharedLimits.class);
    /** Buckets per rate window: the window is held with the granularity of one bucket. */
    private static final int BUCKETS_PER_WINDOW = 60;
    private static final CompletionStage<Verdict> ADMITTED = CompletableFuture.completedFuture(Verdict.ADMITTED);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
    /** Most requests a replica takes ahead from one rate bucket. */
    private static final int MAX_PREFETCH_REQUESTS = 100_000;

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
    private final boolean rateLimited;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean heartbeatRunning = new AtomicBoolean();
    /** Rebalances that failed in a row: the first is logged, then the recovery. */
    private final AtomicInteger failedRebalances = new AtomicInteger();
    private final AtomicLong exchanges = new AtomicLong();
    private volatile Ticker.Cancellable nextHeartbeat;

    // ------------------------------------------------------------ guarded by this
    /** Slots per repository bucket, in the order repositories were first seen. */
    private final Map<String, Grant> grants = new LinkedHashMap<>();
    /** Permits admitted and not yet released. */
    private final Map<UUID, Hold> holds = new HashMap<>();
    /** Requests that did not fit what the replica holds, oldest first. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Requests and tokens to give back (or move) per rate bucket at the next exchange. */
    private final Map<OffsetDateTime, long[]> corrections = new HashMap<>();
    private Allowance allowance;
    private int prefetchRequests;
    private long prefetchTokens;
    private boolean exchanging;
    /** A slot was freed while others wait: give it back at the next exchange. */
    private boolean giveBack;
    private boolean othersWaiting;
    /** The allowance's bucket ran out while it was in use: ask for the next one before a request has to. */
    private boolean renewAllowance;
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
        Duration bucketLength = limits.window().dividedBy(BUCKETS_PER_WINDOW);
        this.bucket = interval(bucketLength.toNanos() < 1_000 ? Duration.ofNanos(1_000) : bucketLength);
        this.keep = interval(limits.window().multipliedBy(2).plus(lease));
        this.rateLimited = limits.requestsPerWindow() > 0 || limits.tokensPerWindow() > 0;
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
        Pending request;
        synchronized (this) {
            if (pending.isEmpty() && admitLocally(permit, repository, tokens, ticker.nanoTime())) {
                return ADMITTED;
            }
            request = new Pending(permit, repository, tokens);
            pending.addLast(request);
            if (exchanging) {
                return request.verdict;
            }
            exchanging = true;
        }
        exchange();
        return request.verdict;
    }

    @Override
    public CompletionStage<Void> release(UUID permit, long actualTokens) {
        boolean start = false;
        synchronized (this) {
            Hold hold = holds.remove(permit);
            if (hold == null) {
                return DONE;
            }
            Grant grant = grants.get(hold.repository);
            grant.used--;
            if (actualTokens >= 0 && hold.bucket != null && actualTokens != hold.tokens) {
                corrections.computeIfAbsent(hold.bucket, b -> new long[2])[1] += actualTokens - hold.tokens;
            }
            if (othersWaiting && grant.slots > grant.used) {
                giveBack = true;
                if (!exchanging) {
                    exchanging = true;
                    start = true;
                }
            }
        }
        if (start) {
            exchange();
        }
        return DONE;
    }

    @Override
    public synchronized boolean othersWaiting() {
        return othersWaiting;
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

    // ------------------------------------------------------------ admission in memory (under this)

    private boolean admitLocally(UUID permit, String repository, long tokens, long now) {
        Grant grant = grants.get(repository);
        if (grant == null || grant.used >= grant.slots) {
            return false;
        }
        Allowance charged = null;
        if (rateLimited) {
            charged = currentAllowance(now);
            if (charged == null || !charged.fits(tokens, limits.tokensPerWindow() > 0)) {
                return false;
            }
            charged.take(tokens);
        }
        grant.used++;
        grant.peak = Math.max(grant.peak, grant.used);
        holds.put(permit, new Hold(repository, charged == null ? null : charged.bucket, tokens));
        scheduleRebalance();
        return true;
    }

    /** The allowance of the current bucket, or none; an allowance whose bucket is over is given back. */
    private Allowance currentAllowance(long now) {
        if (allowance != null && now - allowance.expiresAt > 0) {
            retireAllowance(now);
        }
        return allowance;
    }

    /**
     * Gives back what is left of the allowance. The next one asks for as much ahead as this one used when its bucket
     * ran out, twice what it had when it was used up before that, never beyond a bucket's share of the window.
     */
    private void retireAllowance(long now) {
        Allowance old = allowance;
        allowance = null;
        if (old.requests > 0 || old.tokens > 0) {
            long[] correction = corrections.computeIfAbsent(old.bucket, b -> new long[2]);
            correction[0] += old.requests;
            correction[1] -= old.tokens;
        }
        boolean usedUp = now - old.expiresAt <= 0;
        long requests = usedUp ? 2L * old.grantedRequests : old.usedRequests;
        long tokens = usedUp ? 2L * old.grantedTokens : old.usedTokens;
        prefetchRequests = (int) Math.min(requests, limits.requestsPerWindow() == 0 ? MAX_PREFETCH_REQUESTS
                : Math.min(MAX_PREFETCH_REQUESTS, limits.requestsPerWindow() / BUCKETS_PER_WINDOW));
        prefetchTokens = limits.tokensPerWindow() == 0 ? tokens
                : Math.min(tokens, limits.tokensPerWindow() / BUCKETS_PER_WINDOW);
    }

    // ------------------------------------------------------------ exchanges with the shared state

    /** One exchange with {@code admission_sync}; the caller has set {@link #exchanging}. */
    private void exchange() {
        Exchange x;
        synchronized (this) {
            x = prepare(ticker.nanoTime());
        }
        exchanges.incrementAndGet();
        Tuple args = Tuple.tuple().addUUID(replica)
                .addArrayOfString(x.repositories.toArray(String[]::new))
                .addArrayOfInteger(x.wants.toArray(Integer[]::new))
                .addInteger(x.requests).addLong(x.tokens).addLong(x.needTokens)
                .addArrayOfOffsetDateTime(x.returnBuckets.toArray(OffsetDateTime[]::new))
                .addArrayOfInteger(x.returnRequests.toArray(Integer[]::new))
                .addArrayOfLong(x.returnTokens.toArray(Long[]::new))
                .addInteger(limits.maxConcurrent()).addInteger(limits.maxConcurrentPerRepository())
                .addInteger(limits.requestsPerWindow()).addLong(limits.tokensPerWindow())
                .addValue(window).addValue(bucket);
        pool.preparedQuery(SYNC).execute(args).subscribe().with(rows -> {
            try {
                answered(x, rows.iterator().next());
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "Could not apply the shared admission state's answer; the requests that waited for it "
                        + "ask again");
                failed(x, e, false);
            }
        }, failure -> failed(x, failure, true));
    }

    /** What to send: every repository whose want changed, the allowance asked, the corrections. */
    private Exchange prepare(long now) {
        Exchange x = new Exchange();
        Map<String, Integer> waiting = new HashMap<>();
        long firstTokens = -1;
        long waitingTokens = 0;
        for (Pending request : pending) {
            request.asked = true;
            x.asked.add(request);
            waiting.merge(request.repository, 1, Integer::sum);
            grants.computeIfAbsent(request.repository, r -> new Grant());
            waitingTokens += request.tokens;
            if (firstTokens < 0) {
                firstTokens = request.tokens;
            }
        }
        for (Map.Entry<String, Grant> entry : grants.entrySet()) {
            Grant grant = entry.getValue();
            int waitingHere = waiting.getOrDefault(entry.getKey(), 0);
            // what is in use and what waits; while nobody else waits, also what was in use since the last rebalance
            int want = grant.used + waitingHere;
            if (!othersWaiting) {
                want = Math.max(want, waitingHere > 0 ? grant.slots : grant.peak);
            }
            if (waitingHere > 0) {
                grant.askedAt = now;
            } else if (now - grant.askedAt < 2 * rebalanceNanos) {
                // requests that asked a moment ago may wait in the scheduler for their retry: the others go on seeing them
                want = Math.max(want, grant.wanted);
            }
            if (want != grant.slots || want != grant.wanted) {
                x.repositories.add(entry.getKey());
                x.wants.add(want);
                if (want < grant.slots) {
                    // given back from now on: no admission may use them while the exchange is under way (another
                    // replica may be granted them the moment it is done)
                    grant.slots = want;
                }
            }
        }
        if (rateLimited) {
            Allowance current = currentAllowance(now);
            if (firstTokens >= 0 && (current == null || current.requests < pending.size()
                    || (limits.tokensPerWindow() > 0 && current.tokens < waitingTokens))) {
                if (current != null) {
                    retireAllowance(now);
                }
                boolean share = !othersWaiting;
                x.requests = pending.size() + (share ? prefetchRequests : 0);
                x.tokens = waitingTokens + (share ? prefetchTokens : 0);
                x.needTokens = limits.tokensPerWindow() > 0 ? firstTokens : 0;
            } else if (firstTokens < 0 && renewAllowance && current == null && !othersWaiting) {
                x.requests = prefetchRequests;
                x.tokens = prefetchTokens;
            }
        }
        renewAllowance = false;
        for (Map.Entry<OffsetDateTime, long[]> entry : corrections.entrySet()) {
            x.returnBuckets.add(entry.getKey());
            x.returnRequests.add((int) entry.getValue()[0]);
            x.returnTokens.add(entry.getValue()[1]);
        }
        corrections.clear();
        giveBack = false;
        return x;
    }

    private void answered(Exchange x, Row row) {
        int failures = failedRebalances.getAndSet(0);
        if (failures > 0) {
            LOG.infof("The shared admission state answers again (after %d failed rebalances)", failures);
        }
        List<Runnable> completions = new ArrayList<>();
        boolean again;
        synchronized (this) {
            long now = ticker.nanoTime();
            if (!row.getBoolean("lease_ok")) {
                // the lease ran out: what the database held for this replica is gone
                grants.values().forEach(grant -> grant.slots = 0);
                allowance = null;
                for (Pending request : x.asked) {
                    pending.remove(request);
                    completions.add(() -> request.verdict.complete(new Verdict(Outcome.NO_LEASE, Duration.ZERO)));
                }
                heartbeatSoon();
            } else {
                Integer[] slots = row.getArrayOfIntegers("slots");
                String[] shortOf = row.getArrayOfStrings("short_of");
                Map<String, String> reasons = new HashMap<>();
                for (int i = 0; i < x.repositories.size(); i++) {
                    Grant grant = grants.get(x.repositories.get(i));
                    grant.slots = slots[i];
                    grant.wanted = x.wants.get(i);
                    if (shortOf[i] != null) {
                        reasons.put(x.repositories.get(i), shortOf[i]);
                    }
                }
                othersWaiting = row.getBoolean("others_waiting");
                int grantedRequests = row.getInteger("granted_requests");
                if (grantedRequests > 0) {
                    Allowance granted = new Allowance(row.getOffsetDateTime("rate_bucket"),
                            now + Duration.ofMillis(row.getLong("bucket_left_ms")).toNanos(), grantedRequests,
                            row.getLong("granted_tokens"));
                    allowance = granted;
                    // the next bucket's allowance is asked for as this one runs out, if it was used by then
                    ticker.schedule(granted.expiresAt - now + 1_000_000, () -> renew(granted));
                }
                long rateRetry = row.getLong("rate_retry_ms");
                for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
                    Pending request = it.next();
                    if (admitLocally(request.permit, request.repository, request.tokens, now)) {
                        it.remove();
                        completions.add(() -> request.verdict.complete(Verdict.ADMITTED));
                    } else if (request.asked && (rateRetry > 0 || !fitsSlots(request))) {
                        it.remove();
                        Verdict verdict = refusal(request, reasons, rateRetry);
                        completions.add(() -> request.verdict.complete(verdict));
                    } else {
                        // short of allowance the window had room for (its bucket ended meanwhile): ask again
                        request.asked = false;
                    }
                }
                grants.values().removeIf(grant -> grant.slots == 0 && grant.used == 0 && grant.wanted == 0);
            }
            again = !pending.isEmpty() || giveBack;
            exchanging = again;
            scheduleRebalance();
        }
        completions.forEach(Runnable::run);
        if (again) {
            exchange();
        }
    }

    private boolean fitsSlots(Pending request) {
        Grant grant = grants.get(request.repository);
        return grant.used < grant.slots;
    }

    private Verdict refusal(Pending request, Map<String, String> reasons, long rateRetryMs) {
        if (!fitsSlots(request)) {
            return "repository".equals(reasons.get(request.repository))
                    ? new Verdict(Outcome.REPOSITORY_FULL, Duration.ZERO)
                    : new Verdict(Outcome.GLOBAL_FULL, Duration.ZERO);
        }
        return new Verdict(Outcome.RATE_LIMITED, Duration.ofMillis(Math.max(1, rateRetryMs)));
    }

    /**
     * @param resend whether the exchange did not reach the database, so what it was to give back or correct goes
     *               with the next one
     */
    private void failed(Exchange x, Throwable failure, boolean resend) {
        List<Pending> refused = new ArrayList<>();
        boolean again;
        synchronized (this) {
            for (int i = 0; resend && i < x.returnBuckets.size(); i++) {
                long[] correction = corrections.computeIfAbsent(x.returnBuckets.get(i), b -> new long[2]);
                correction[0] += x.returnRequests.get(i);
                correction[1] += x.returnTokens.get(i);
            }
            for (Pending request : x.asked) {
                if (pending.remove(request)) {
                    refused.add(request);
                }
            }
            again = !pending.isEmpty();
            exchanging = again;
            scheduleRebalance();
        }
        if (!refused.isEmpty()) {
            // the scheduler logs it and asks again until the request's wait runs out
            refused.forEach(request -> request.verdict.completeExceptionally(failure));
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
            if (closed.get() || allowance != expired || expired.usedRequests == 0 || exchanging) {
                return;
            }
            renewAllowance = true;
            exchanging = true;
        }
        exchange();
    }

    /** While the replica holds or wants anything, it exchanges every rebalance interval. */
    private void scheduleRebalance() {
        if (nextRebalance != null || closed.get() || !active()) {
            return;
        }
        nextRebalance = ticker.schedule(rebalanceNanos, this::rebalance);
    }

    private boolean active() {
        if (allowance != null || !corrections.isEmpty()) {
            return true;
        }
        for (Grant grant : grants.values()) {
            if (grant.slots > 0 || grant.wanted > 0 || grant.used > 0) {
                return true;
            }
        }
        return false;
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
            // peaks start again from what is in use now
            grants.values().forEach(grant -> grant.peak = grant.used);
        }
    }

    // ------------------------------------------------------------ the lease

    private Uni<Void> heartbeat() {
        return pool.preparedQuery(HEARTBEAT).execute(Tuple.tuple().addUUID(replica).addValue(interval(lease))
                        .addValue(keep))
                .invoke(rows -> {
                    if (!rows.iterator().next().getBoolean("alive")) {
                        synchronized (this) {
                            // a new lease: whatever the database held for this replica is gone
                            grants.values().forEach(grant -> grant.slots = 0);
                            allowance = null;
                        }
                        LOG.debugf("gateway replica %s took a new admission lease", replica);
                    }
                })
                .replaceWithVoid();
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

    // ------------------------------------------------------------ state

    /** Slots of one repository bucket: granted by the shared state, in use here, most in use since the last rebalance. */
    private static final class Grant {
        int slots;
        int used;
        int peak;
        /** What the shared state was last told this replica wants. */
        int wanted;
        /** When requests of this repository last asked the shared state for slots (nanoTime). */
        long askedAt = Long.MIN_VALUE / 2;
    }

    /** Requests and tokens granted from one rate bucket, usable until the bucket is over. */
    private static final class Allowance {
        final OffsetDateTime bucket;
        final long expiresAt;
        final int grantedRequests;
        final long grantedTokens;
        int requests;
        long tokens;
        int usedRequests;
        long usedTokens;

        Allowance(OffsetDateTime bucket, long expiresAt, int requests, long tokens) {
            this.bucket = bucket;
            this.expiresAt = expiresAt;
            this.grantedRequests = requests;
            this.grantedTokens = tokens;
            this.requests = requests;
            this.tokens = tokens;
        }

        boolean fits(long wanted, boolean tokensLimited) {
            return requests >= 1 && (!tokensLimited || tokens >= wanted);
        }

        void take(long wanted) {
            requests--;
            tokens = Math.max(0, tokens - wanted);
            usedRequests++;
            usedTokens += wanted;
        }
    }

    private record Hold(String repository, OffsetDateTime bucket, long tokens) {
    }

    private static final class Pending {
        final UUID permit;
        final String repository;
        final long tokens;
        final CompletableFuture<Verdict> verdict = new CompletableFuture<>();
        /** Part of an exchange under way: its answer decides. */
        boolean asked;

        Pending(UUID permit, String repository, long tokens) {
            this.permit = permit;
            this.repository = repository;
            this.tokens = tokens;
        }
    }

    /** What one exchange sends. */
    private static final class Exchange {
        final List<String> repositories = new ArrayList<>();
        final List<Integer> wants = new ArrayList<>();
        final List<Pending> asked = new ArrayList<>();
        int requests;
        long tokens;
        long needTokens;
        final List<OffsetDateTime> returnBuckets = new ArrayList<>();
        final List<Integer> returnRequests = new ArrayList<>();
        final List<Long> returnTokens = new ArrayList<>();
    }
}
