package dev.drep.gateway.ledger;

import dev.drep.gateway.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Writes the usage ledger ({@code gateway.usage_record}), one row per request, off the request's path and in
 * batches: {@link #record} only puts the row in memory ({@link LedgerBuffer}); every
 * {@code drep.gateway.ledger.flush-interval} (at once when a batch is full) one insert writes up to
 * {@code batch-size} rows. A batch that fails (a database restart) goes back to the front and is tried again with
 * back-off (1 s doubling to 15 s) for as long as the database is away; each row keeps its id, so a batch that
 * committed but whose answer was lost is not written twice ({@code ON CONFLICT (id) DO NOTHING}). Rows beyond
 * {@code max-buffered} are dropped, logged and counted. A stop writes what is waiting (for up to
 * {@code shutdown-flush}); a crash loses the rows of the last interval — flush on shutdown, not a write-ahead log
 * (docs/architecture.md, "The LLM gateway").
 *
 * <p>The SQL client directly, not Hibernate: one statement of arrays per batch, with no session to keep on a
 * context.
 */
@ApplicationScoped
public class UsageLedger {

    private static final Logger LOG = Logger.getLogger(UsageLedger.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(15);
    private static final String INSERT = "INSERT INTO gateway.usage_record (id, created_at, repository, job, priority,"
            + " task_class, requested_alias, alias, provider, model, prompt_tokens, completion_tokens, total_tokens,"
            + " cost_usd, usage_estimated, cache_hit, queue_wait_ms, provider_ms, latency_ms, attempts, outcome,"
            + " http_status, key_id) SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[],"
            + " $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::int[], $13::int[],"
            + " $14::numeric[], $15::boolean[], $16::boolean[], $17::float8[], $18::float8[], $19::float8[],"
            + " $20::int[], $21::text[], $22::int[], $23::uuid[]) ON CONFLICT (id) DO NOTHING";

    private final Vertx vertx;
    private final Pool pool;
    private final GatewayConfig.Ledger config;
    private final LedgerBuffer buffer;
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    /** While the database fails: when the next batch may be tried (System.nanoTime), and the wait after that. */
    private volatile long retryAt;
    private volatile Duration backOff = FIRST_RETRY;
    private long timer = -1;

    /**
     * @param vertx  the application's Vert.x, for the flush timer
     * @param pool   the reactive PostgreSQL pool
     * @param config the gateway configuration ({@code drep.gateway.ledger.*})
     */
    public UsageLedger(Vertx vertx, Pool pool, GatewayConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.config = config.ledger();
        this.buffer = new LedgerBuffer(this.config.maxBuffered());
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(config.flushInterval().toMillis(), ignored -> flush());
    }

    /** Writes what is waiting before the application stops (the pool is still open in this event). */
    void stop(@Observes ShutdownEvent stopping) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        long deadline = System.nanoTime() + config.shutdownFlush().toNanos();
        retryAt = 0;
        while (buffer.size() > 0 && System.nanoTime() < deadline) {
            List<UsageRecord> batch = buffer.take(config.batchSize());
            try {
                write(batch).await().atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (RuntimeException e) {
                buffer.putBack(batch);
                LOG.errorf("Could not write the usage ledger while stopping (%s): %s", e.getClass().getSimpleName(),
                        e.getMessage());
                break;
            }
        }
        int left = buffer.size();
        if (left > 0) {
            dropped.addAndGet(left);
            LOG.errorf("Stopped with %d usage ledger rows unwritten (the database could not be written within %s)",
                    left, config.shutdownFlush());
        }
    }

    /**
     * Records one request; returns at once.
     *
     * @param entry what the request cost and how it went
     */
    public void record(UsageEntry entry) {
        if (!buffer.add(entry.toRecord())) {
            long lost = dropped.incrementAndGet();
            // the prompt is not in the record; what is logged identifies the request only
            LOG.errorf("Usage ledger row dropped for job=%s repository=%s alias=%s: %d rows are waiting for the"
                            + " database (drep.gateway.ledger.max-buffered); %d dropped since start-up",
                    entry.job(), entry.repository(), entry.alias(), config.maxBuffered(), lost);
            return;
        }
        if (buffer.size() >= config.batchSize()) {
            flush();
        }
    }

    /** Writes batches until none is waiting or one fails; one flush at a time. */
    void flush() {
        if (System.nanoTime() < retryAt || buffer.size() == 0 || !flushing.compareAndSet(false, true)) {
            return;
        }
        List<UsageRecord> batch = buffer.take(config.batchSize());
        write(batch).subscribe().with(ignored -> {
            backOff = FIRST_RETRY;
            flushing.set(false);
            if (buffer.size() >= config.batchSize()) {
                flush();
            }
        }, failure -> {
            buffer.putBack(batch);
            LOG.warnf("Could not write %d usage ledger rows (%s: %s); trying again in %s, %d rows waiting",
                    batch.size(), failure.getClass().getSimpleName(), failure.getMessage(), backOff, buffer.size());
            retryAt = System.nanoTime() + backOff.toNanos();
            backOff = backOff.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : backOff.multipliedBy(2);
            flushing.set(false);
        });
    }

    private Uni<Void> write(List<UsageRecord> batch) {
        int n = batch.size();
        UUID[] ids = new UUID[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        String[] repository = new String[n];
        String[] job = new String[n];
        String[] priority = new String[n];
        String[] taskClass = new String[n];
        String[] requestedAlias = new String[n];
        String[] alias = new String[n];
        String[] provider = new String[n];
        String[] model = new String[n];
        Integer[] prompt = new Integer[n];
        Integer[] completion = new Integer[n];
        Integer[] total = new Integer[n];
        Numeric[] cost = new Numeric[n];
        Boolean[] estimated = new Boolean[n];
        Boolean[] cacheHit = new Boolean[n];
        Double[] queueWait = new Double[n];
        Double[] providerMs = new Double[n];
        Double[] latency = new Double[n];
        Integer[] attempts = new Integer[n];
        String[] outcome = new String[n];
        Integer[] status = new Integer[n];
        UUID[] key = new UUID[n];
        for (int i = 0; i < n; i++) {
            UsageRecord r = batch.get(i);
            ids[i] = r.id;
            created[i] = r.createdAt.atOffset(ZoneOffset.UTC);
            repository[i] = r.repository;
            job[i] = r.job;
            priority[i] = r.priority;
            taskClass[i] = r.taskClass;
            requestedAlias[i] = r.requestedAlias;
            alias[i] = r.alias;
            provider[i] = r.provider;
            model[i] = r.model;
            prompt[i] = r.promptTokens;
            completion[i] = r.completionTokens;
            total[i] = r.totalTokens;
            cost[i] = Numeric.create(r.costUsd == null ? BigDecimal.ZERO : r.costUsd);
            estimated[i] = r.usageEstimated;
            cacheHit[i] = r.cacheHit;
            queueWait[i] = r.queueWaitMs;
            providerMs[i] = r.providerMs;
            latency[i] = r.latencyMs;
            attempts[i] = r.attempts;
            outcome[i] = r.outcome;
            status[i] = r.httpStatus;
            key[i] = r.keyId;
        }
        return pool.preparedQuery(INSERT)
                .execute(Tuple.from(Arrays.asList(ids, created, repository, job, priority, taskClass, requestedAlias,
                        alias, provider, model, prompt, completion, total, cost, estimated, cacheHit, queueWait,
                        providerMs, latency, attempts, outcome, status, key)))
                .invoke(() -> {
                    written.addAndGet(n);
                    batches.incrementAndGet();
                })
                .replaceWithVoid();
    }

    /** @return ledger rows dropped since start-up (the buffer was full, or a stop could not write them) */
    public long failedWrites() {
        return dropped.get();
    }

    /** @return ledger rows written since start-up */
    public long writtenRows() {
        return written.get();
    }

    /** @return inserts (batches) that wrote ledger rows since start-up */
    public long writtenBatches() {
        return batches.get();
    }
}
