package dev.drep.analyzer.cache;

import dev.drep.analyzer.llm.AnalyzerConfig;
import dev.drep.core.llm.TokenCeiling;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-job LLM token ceiling ({@code drep.analyzer.llm.job-token-ceiling}) in table
 * {@code job_token_usage}: a reservation is one atomic upsert that succeeds only while the job stays
 * within its ceiling, so replicas working on the same job never overshoot it together. A ceiling of 0
 * means none. A repository's lower ceiling ({@code max-llm-tokens} in {@code .drep.yaml}) is enforced
 * the same way: every reservation names the ceiling that applies to its job. Rows of jobs untouched for a week are deleted, at most once an hour per replica.
 *
 * <p>Settling (the estimate replaced by the tokens used) is tried again with back-off for about 45 s when the database
 * does not answer — a restart or a fail-over — as the gateway's usage ledger does, so a brief outage does not leave a
 * job counted at its estimates. Each settlement has an id, recorded in {@code job_token_settlement} in the same
 * statement as the increment: a try that committed but whose answer was lost is not counted twice by the next.
 */
@ApplicationScoped
public class PostgresTokenCeiling implements TokenCeiling {
    private static final Duration KEEP = Duration.ofDays(7);
    private static final long PRUNE_EVERY_MILLIS = Duration.ofHours(1).toMillis();
    // a database restart or fail-over (seconds), not a long outage: 1 + 2 + 4 + 8 + 15 + 15 s (the usage ledger's)
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(15);
    private static final int RETRIES = 6;
    // the increment applies only when this settlement's id is new: recorded and applied in one statement
    private static final String SETTLE = "WITH settlement AS (INSERT INTO analyzer.job_token_settlement "
            + "(settlement_id, job_id, settled_at) VALUES ($4::uuid, $1::varchar, $3::timestamptz) "
            + "ON CONFLICT (settlement_id) DO NOTHING RETURNING settlement_id) "
            + "UPDATE analyzer.job_token_usage SET tokens = GREATEST(0, tokens + $2::bigint), updated_at = $3::timestamptz "
            + "WHERE job_id = $1::varchar AND EXISTS (SELECT 1 FROM settlement)";

    private final Pool pool;
    private final long ceiling;
    private final AtomicLong lastPrune = new AtomicLong();

    /**
     * @param pool   the reactive PostgreSQL pool
     * @param config the ceiling
     */
    public PostgresTokenCeiling(Pool pool, AnalyzerConfig config) {
        this.pool = pool;
        this.ceiling = config.llm().jobTokenCeiling();
    }

    @Override
    public CompletionStage<Boolean> reserve(String jobId, long tokens, long jobCeiling) {
        if (jobCeiling == Long.MAX_VALUE) {
            return CompletableFuture.completedFuture(true);
        }
        // typed parameters: in a SELECT list PostgreSQL would take $2 for text, in the WHERE clause for bigint, and
        // refuse the statement ("inconsistent types deduced for parameter $2"), costing a second prepare
        return pool.preparedQuery("INSERT INTO analyzer.job_token_usage (job_id, tokens, updated_at) "
                        + "SELECT $1::varchar, $2::bigint, $4::timestamptz WHERE $2::bigint <= $3::bigint "
                        + "ON CONFLICT (job_id) DO UPDATE SET tokens = job_token_usage.tokens + EXCLUDED.tokens, "
                        + "updated_at = EXCLUDED.updated_at WHERE job_token_usage.tokens + EXCLUDED.tokens <= $3")
                .execute(Tuple.of(jobId, tokens, jobCeiling, OffsetDateTime.now(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1)
                .call(this::pruneNowAndThen)
                .subscribeAsCompletionStage();
    }

    /** Completes once settled; tried again with back-off for about 45 s, under the same settlement id. */
    @Override
    public CompletionStage<Void> settle(String jobId, long reserved, long actual) {
        if (reserved == actual) {
            return CompletableFuture.completedFuture(null);
        }
        Tuple settlement = Tuple.of(jobId, actual - reserved, OffsetDateTime.now(ZoneOffset.UTC), UUID.randomUUID());
        // the client's Uni is lazy: each retry sends the statement again
        return pool.preparedQuery(SETTLE).execute(settlement)
                .onFailure().retry().withBackOff(FIRST_RETRY, LONGEST_RETRY).atMost(RETRIES)
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    private Uni<Void> pruneNowAndThen() {
        long now = System.currentTimeMillis();
        long last = lastPrune.get();
        if (now - last < PRUNE_EVERY_MILLIS || !lastPrune.compareAndSet(last, now)) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minus(KEEP);
        return pool.preparedQuery("DELETE FROM analyzer.job_token_usage WHERE updated_at < $1")
                .execute(Tuple.of(before))
                .chain(() -> pool.preparedQuery("DELETE FROM analyzer.job_token_settlement WHERE settled_at < $1")
                        .execute(Tuple.of(before)))
                .replaceWithVoid();
    }

    @Override
    public long ceiling() {
        return ceiling <= 0 ? Long.MAX_VALUE : ceiling;
    }
}
