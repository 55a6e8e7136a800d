package dev.drep.core.llm;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Content-addressed results of LLM analyses ({@link CacheKeys}): an unchanged file in a new push or
 * another pull request is answered from here at no LLM cost.
 */
public interface AnalysisCache {

    /**
     * @param keys cache keys
     * @return the entries found, by key (missing keys are absent)
     */
    CompletionStage<Map<String, CachedAnalysis>> find(Collection<String> keys);

    /**
     * Looks files up under several keys each: a file's current key and the keys of earlier prompt versions
     * still accepted ({@link LlmFileTask#legacyPromptVersions()}). An implementation that counts lookups counts
     * one per file, a hit when any of its keys is found.
     *
     * @param keysByFile per file, its keys, the preferred first
     * @return the entries found, by key
     */
    default CompletionStage<Map<String, CachedAnalysis>> findAny(List<List<String>> keysByFile) {
        return find(keysByFile.stream().flatMap(List::stream).toList());
    }

    /**
     * Stores entries, replacing older entries of the same keys.
     *
     * @param entries by key
     * @return completes when stored
     */
    CompletionStage<Void> store(Map<String, CachedAnalysis> entries);

    /** @return a cache that never finds anything and stores nothing */
    static AnalysisCache none() {
        return new AnalysisCache() {
            @Override
            public CompletionStage<Map<String, CachedAnalysis>> find(Collection<String> keys) {
                return CompletableFuture.completedFuture(Map.of());
            }

            @Override
            public CompletionStage<Void> store(Map<String, CachedAnalysis> entries) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
