package dev.drep.core.doccomment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.drep.contracts.FileToAnalyze;
import java.util.function.Function;

/**
 * Parse results by content address: the declarations a {@link DeclarationParser} found in a file (or
 * its parse error), keyed by the file's git blob id, its language and {@link #PARSER_VERSION}. The same
 * blob is parsed once however many work units, attempts or pull requests carry it (an unchanged file
 * of a second push, the same file in two open pull requests), while the result stays in the cache.
 *
 * <p>Bounded by weight: an entry weighs one plus its number of declarations, so a few large files
 * cannot hold as much memory as thousands of small ones; the least recently used entries go first
 * (Caffeine's W-TinyLFU). A file without a blob id is parsed every time. Thread-safe: concurrent
 * requests for the same blob wait for one parse.
 */
public final class DeclarationCache {
    /**
     * Version of what the parsers extract; part of the key, raised whenever a parser's output for the
     * same source changes.
     */
    public static final String PARSER_VERSION = "1";
    /** Default bound: declarations (plus one per file) kept; about 22 MB at the 218 bytes a declaration measured. */
    public static final long DEFAULT_MAX_WEIGHT = 100_000;

    private record Key(String blobSha, SourceLanguage language, String parserVersion) {
    }

    private final Cache<Key, ParsedSource> parsed;
    private final Function<SourceLanguage, DeclarationParser> parsers;

    /** A cache of {@value #DEFAULT_MAX_WEIGHT} declarations over the standard parsers. */
    public DeclarationCache() {
        this(DEFAULT_MAX_WEIGHT, DeclarationParser::of);
    }

    /**
     * @param maxWeight declarations (plus one per file) kept; 0 keeps nothing
     * @param parsers   the parser of each language
     */
    public DeclarationCache(long maxWeight, Function<SourceLanguage, DeclarationParser> parsers) {
        this.parsers = parsers;
        this.parsed = Caffeine.newBuilder()
                .maximumWeight(maxWeight)
                .weigher((Key key, ParsedSource value) -> weight(value))
                .build();
    }

    /**
     * @param file     the file, with its content and blob id
     * @param language its language
     * @return its declarations or parse error, from the cache when this blob was parsed before
     */
    public ParsedSource parse(FileToAnalyze file, SourceLanguage language) {
        if (file.blobSha() == null || file.blobSha().isBlank()) {
            return parsers.apply(language).parse(file.content());
        }
        return parsed.get(new Key(file.blobSha(), language, PARSER_VERSION),
                key -> parsers.apply(language).parse(file.content()));
    }

    /** @return the files whose parse results are kept now (after pending evictions) */
    public long size() {
        parsed.cleanUp();
        return parsed.estimatedSize();
    }

    private static int weight(ParsedSource value) {
        return value instanceof ParsedSource.Parsed p ? 1 + p.declarations().size() : 1;
    }
}
