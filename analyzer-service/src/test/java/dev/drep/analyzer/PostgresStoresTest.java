package dev.drep.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.analyzer.cache.PostgresAnalysisCache;
import dev.drep.analyzer.cache.PostgresTokenCeiling;
import dev.drep.contracts.Finding;
import dev.drep.contracts.LineRange;
import dev.drep.contracts.Severity;
import dev.drep.core.llm.CachedAnalysis;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The analysis cache and the job token ceiling against the embedded PostgreSQL (the analyzer's schema). */
@QuarkusTest
class PostgresStoresTest {

    @Inject
    PostgresAnalysisCache cache;

    @Inject
    PostgresTokenCeiling ceiling;

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

    private boolean reserve(String job, long tokens) {
        return ceiling.reserve(job, tokens).toCompletableFuture().join();
    }
}
