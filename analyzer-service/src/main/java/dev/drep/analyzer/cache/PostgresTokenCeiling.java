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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-job LLM token ceiling ({@code drep.analyzer.llm.job-token-ceiling}) in table
 * {@code job_token_usage}: a reservation is one atomic upsert that succeeds only while the job stays
 * within its ceiling, so replicas working on the same job never overshoot it together. A ceiling of 0
 * means none. A repository's lower ceiling ({@code max-llm-tokens} in {@code .drep.yaml}) is enforced
 * the same way: every reservation names the ceiling that applies to its job. Rows of jobs untouched for a week are deleted, at most once an hour per replica.
 */
@ApplicationScoped
public class PostgresTokenCeiling implements TokenCeiling {
    private static final Duration KEEP = Duration.ofDays(7);
    private static final long PRUNE_EVERY_MILLIS = Duration.ofHours(1).toMillis();

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

    @Override
    public CompletionStage<Void> settle(String jobId, long reserved, long actual) {
        if (reserved == actual) {
            return CompletableFuture.completedFuture(null);
        }
        return pool.preparedQuery("UPDATE analyzer.job_token_usage SET tokens = GREATEST(0, tokens + $2), updated_at = $3 "
                        + "WHERE job_id = $1")
                .execute(Tuple.of(jobId, actual - reserved, OffsetDateTime.now(ZoneOffset.UTC)))
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    private Uni<Void> pruneNowAndThen() {
        long now = System.currentTimeMillis();
        long last = lastPrune.get();
        if (now - last < PRUNE_EVERY_MILLIS || !lastPrune.compareAndSet(last, now)) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("DELETE FROM analyzer.job_token_usage WHERE updated_at < $1")
                .execute(Tuple.of(OffsetDateTime.now(ZoneOffset.UTC).minus(KEEP)))
                .replaceWithVoid();
    }

    @Override
    public long ceiling() {
        return ceiling <= 0 ? Long.MAX_VALUE : ceiling;
    }
}
