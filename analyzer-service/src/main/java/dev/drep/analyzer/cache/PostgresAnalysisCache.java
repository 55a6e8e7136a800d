package dev.drep.analyzer.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.analyzer.llm.AnalyzerConfig;
import dev.drep.analyzer.metrics.AnalyzerMetrics;
import dev.drep.core.llm.AnalysisCache;
import dev.drep.core.llm.CachedAnalysis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The analysis cache in the analyzer's schema ({@code analyzer.analysis_cache}), shared by every replica.
 * Table names are schema-qualified: the SQL client does not use Hibernate's default schema. It
 * uses the reactive SQL client directly rather than Panache: lookups are one {@code = ANY($1)} query
 * per unit and stores one batched upsert, which entities would only make longer. Entries older than
 * {@code drep.analyzer.cache.max-age} are deleted, at most once an hour per replica.
 */
@ApplicationScoped
public class PostgresAnalysisCache implements AnalysisCache {
    private static final Logger LOG = Logger.getLogger(PostgresAnalysisCache.class);
    private static final long PRUNE_EVERY_MILLIS = Duration.ofHours(1).toMillis();

    private final Pool pool;
    private final ObjectMapper json;
    private final boolean enabled;
    private final Duration maxAge;
    private final AtomicLong lastPrune = new AtomicLong();
    private final AnalyzerMetrics metrics;

    /**
     * @param pool   the reactive PostgreSQL pool
     * @param json   reads and writes the entries
     * @param config whether the cache is on, and the entries' maximum age
     * @param metrics counts hits and misses
     */
    public PostgresAnalysisCache(Pool pool, ObjectMapper json, AnalyzerConfig config, AnalyzerMetrics metrics) {
        this.pool = pool;
        this.metrics = metrics;
        this.json = json;
        this.enabled = config.cache().enabled();
        this.maxAge = config.cache().maxAge();
    }

    @Override
    public CompletionStage<Map<String, CachedAnalysis>> find(Collection<String> keys) {
        return findAny(keys.stream().map(List::of).toList());
    }

    /** One query for every key; the lookups are counted per file, a hit when any of its keys is found. */
    @Override
    public CompletionStage<Map<String, CachedAnalysis>> findAny(List<List<String>> keysByFile) {
        if (!enabled || keysByFile.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        String[] keys = keysByFile.stream().flatMap(List::stream).distinct().toArray(String[]::new);
        return pool.preparedQuery("SELECT cache_key, result FROM analyzer.analysis_cache WHERE cache_key = ANY($1)")
                .execute(Tuple.of(keys))
                .map(rows -> {
                    Map<String, CachedAnalysis> found = new HashMap<>();
                    for (Row row : rows) {
                        read(row).ifPresent(entry -> found.put(row.getString("cache_key"), entry));
                    }
                    int hits = (int) keysByFile.stream().filter(file -> file.stream().anyMatch(found::containsKey)).count();
                    metrics.cacheLookups(hits, keysByFile.size() - hits);
                    return found;
                })
                .subscribeAsCompletionStage();
    }

    private Optional<CachedAnalysis> read(Row row) {
        try {
            return Optional.of(json.readValue(row.getString("result"), CachedAnalysis.class));
        } catch (Exception e) {
            // an entry written by an incompatible version: treat as a miss, it is overwritten on store
            LOG.warnf("ignoring unreadable analysis cache entry %s: %s", row.getString("cache_key"), e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public CompletionStage<Void> store(Map<String, CachedAnalysis> entries) {
        if (!enabled || entries.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Tuple> rows = new ArrayList<>(entries.size());
        for (Map.Entry<String, CachedAnalysis> entry : entries.entrySet()) {
            try {
                rows.add(Tuple.of(entry.getKey(), json.writeValueAsString(entry.getValue()), now));
            } catch (Exception e) {
                LOG.warnf("not caching %s: %s", entry.getKey(), e.getMessage());
            }
        }
        Uni<Void> upsert = pool.preparedQuery("INSERT INTO analyzer.analysis_cache (cache_key, result, created_at) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (cache_key) DO UPDATE SET result = EXCLUDED.result, created_at = EXCLUDED.created_at")
                .executeBatch(rows).replaceWithVoid();
        return upsert.chain(this::pruneNowAndThen).subscribeAsCompletionStage();
    }

    private Uni<Void> pruneNowAndThen() {
        long now = System.currentTimeMillis();
        long last = lastPrune.get();
        if (now - last < PRUNE_EVERY_MILLIS || !lastPrune.compareAndSet(last, now)) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(maxAge);
        return pool.preparedQuery("DELETE FROM analyzer.analysis_cache WHERE created_at < $1").execute(Tuple.of(cutoff))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("deleted %d analysis cache entries older than %s", rows.rowCount(), maxAge);
                    }
                })
                .replaceWithVoid();
    }
}
