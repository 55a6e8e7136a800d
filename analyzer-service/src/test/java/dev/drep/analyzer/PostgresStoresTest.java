package dev.drep.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.analyzer.cache.PostgresAnalysisCache;
import dev.drep.analyzer.cache.PostgresTokenCeiling;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.Severity;
import dev.drep.core.llm.CachedAnalysis;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The analysis cache and the job token ceiling against the embedded PostgreSQL (the analyzer's schema). */
@QuarkusTest
class PostgresStoresTest {

    @Inject
    PostgresAnalysisCache cache;

    @Inject
    PostgresTokenCeiling ceiling;

    @Inject
    Pool pool;

    @Test
    void entriesAreStoredFoundAndReplaced() {
        String key = UUID.randomUUID().toString().replace("-", "");
        CachedAnalysis first = new CachedAnalysis(List.of(new Finding("llm.bug", "a.py", 3, Severity.ERROR, "bad", null)),
                List.of(new LineRange(3, 3)));
        cache.store(Map.of(key, first)).toCompletableFuture().join();
        assertThat(cache.find(List.of(key, "missing")).toCompletableFuture().join()).containsExactly(Map.entry(key, first));

        CachedAnalysis second = new CachedAnalysis(List.of(), List.of(new LineRange(1, 9)));
        cache.store(Map.of(key, second)).toCompletableFuture().join();
        assertThat(cache.find(List.of(key)).toCompletableFuture().join().get(key)).isEqualTo(second);
    }

    @Test
    void aJobsReservationsStopAtItsCeilingAndSettlementFreesTheRest() {
        String job = UUID.randomUUID().toString();
        long limit = ceiling.ceiling();
        assertThat(limit).isEqualTo(500_000);
        assertThat(reserve(job, limit + 1)).isFalse();
        assertThat(reserve(job, 400_000)).isTrue();
        assertThat(reserve(job, 200_000)).isFalse();
        ceiling.settle(job, 400_000, 100_000).toCompletableFuture().join();
        assertThat(reserve(job, 200_000)).isTrue();
        assertThat(reserve(job, 200_001)).isFalse();
        assertThat(reserve(UUID.randomUUID().toString(), 200_000)).isTrue();
    }

    @Test
    void aRepositorysLowerCeilingHoldsForEveryReservationOfTheJob() {
        String job = UUID.randomUUID().toString();
        assertThat(ceiling.reserve(job, 30_000, 50_000).toCompletableFuture().join()).isTrue();
        assertThat(ceiling.reserve(job, 30_000, 50_000).toCompletableFuture().join()).isFalse();
        ceiling.settle(job, 30_000, 10_000).toCompletableFuture().join();
        assertThat(ceiling.reserve(job, 30_000, 50_000).toCompletableFuture().join()).isTrue();
    }

    /**
     * The database briefly away when a call's tokens are settled (here: the table is renamed for two seconds, so
     * every statement on it fails as it would against a restarting server): the settlement is tried again with
     * back-off and the job's count ends at the tokens used, not at the estimate, and counted once.
     */
    @Test
    void aSettlementTheDatabaseRefusedAtFirstIsAppliedOnceItIsBack() throws Exception {
        String job = UUID.randomUUID().toString();
        assertThat(reserve(job, 400_000)).isTrue();
        sql("ALTER TABLE analyzer.job_token_usage RENAME TO job_token_usage_away");
        CompletableFuture<Void> settled;
        try {
            settled = ceiling.settle(job, 400_000, 100_000).toCompletableFuture();
            Thread.sleep(2_000);
            assertThat(settled).as("settling while the table is away").isNotDone();
        } finally {
            sql("ALTER TABLE analyzer.job_token_usage_away RENAME TO job_token_usage");
        }
        settled.get(60, TimeUnit.SECONDS);
        assertThat(tokens(job)).as("the job's count: the tokens used, not the estimate").isEqualTo(100_000);
        assertThat(reserve(job, 400_000)).isTrue();
        assertThat(reserve(job, 1)).as("the ceiling of 500,000 is reached exactly").isFalse();
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(30));
    }

    private long tokens(String job) {
        return pool.preparedQuery("SELECT tokens FROM analyzer.job_token_usage WHERE job_id = $1").execute(Tuple.of(job))
                .await().atMost(Duration.ofSeconds(30)).iterator().next().getLong("tokens");
    }

    private boolean reserve(String job, long tokens) {
        return ceiling.reserve(job, tokens).toCompletableFuture().join();
    }
}
