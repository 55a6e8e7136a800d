package dev.drep.core.doccomment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.LineRange;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeclarationCacheTest {
    private static final String PYTHON = "def area(width, height):\n    return width * height\n";
    private static final String GO = "package shapes\n\nfunc Area(w, h int) int {\n\treturn w * h\n}\n";

    /** Counts the parses of each language and delegates to the real parsers. */
    private final Map<SourceLanguage, AtomicInteger> parses = new ConcurrentHashMap<>();

    private DeclarationCache cache(long maxWeight) {
        return new DeclarationCache(maxWeight, language -> {
            DeclarationParser real = DeclarationParser.of(language);
            return content -> {
                parses.computeIfAbsent(language, l -> new AtomicInteger()).incrementAndGet();
                return real.parse(content);
            };
        });
    }

    private static FileToAnalyze file(String path, String blob, String content) {
        return new FileToAnalyze(path, blob, content, List.of(new LineRange(1, 2)));
    }

    private int parsesOf(SourceLanguage language) {
        AtomicInteger n = parses.get(language);
        return n == null ? 0 : n.get();
    }

    @Test
    void theSameBlobIsParsedOnceWhateverPathOrChangedLinesItComesWith() {
        DeclarationCache cache = cache(DeclarationCache.DEFAULT_MAX_WEIGHT);
        ParsedSource first = cache.parse(file("a/shapes.py", "b1", PYTHON), SourceLanguage.PYTHON);
        ParsedSource again = cache.parse(new FileToAnalyze("b/moved.py", "b1", PYTHON, List.of(new LineRange(2, 2))),
                SourceLanguage.PYTHON);

        assertThat(parsesOf(SourceLanguage.PYTHON)).isEqualTo(1);
        assertThat(again).isSameAs(first);
        assertThat(((ParsedSource.Parsed) first).declarations()).extracting(Declaration::name).containsExactly("area");
    }

    @Test
    void anotherBlobOrAnotherLanguageIsParsedOnItsOwn() {
        DeclarationCache cache = cache(DeclarationCache.DEFAULT_MAX_WEIGHT);
        ParsedSource python = cache.parse(file("shapes.py", "b1", PYTHON), SourceLanguage.PYTHON);
        ParsedSource go = cache.parse(file("shapes.go", "b2", GO), SourceLanguage.GO);
        // same blob id under another language (a blob can be checked out under any name): not the Python result
        ParsedSource asGo = cache.parse(file("shapes.go", "b1", GO), SourceLanguage.GO);

        assertThat(parsesOf(SourceLanguage.PYTHON)).isEqualTo(1);
        assertThat(parsesOf(SourceLanguage.GO)).isEqualTo(2);
        assertThat(((ParsedSource.Parsed) python).declarations()).extracting(Declaration::name).containsExactly("area");
        assertThat(((ParsedSource.Parsed) go).declarations()).extracting(Declaration::name).containsExactly("Area");
        assertThat(((ParsedSource.Parsed) asGo).declarations()).extracting(Declaration::name).containsExactly("Area");
    }

    @Test
    void parseErrorsAreKeptToo() {
        DeclarationCache cache = cache(DeclarationCache.DEFAULT_MAX_WEIGHT);
        FileToAnalyze broken = file("broken.py", "b9", "def area(:\n");
        assertThat(cache.parse(broken, SourceLanguage.PYTHON)).isInstanceOf(ParsedSource.Unparsable.class);
        assertThat(cache.parse(broken, SourceLanguage.PYTHON)).isInstanceOf(ParsedSource.Unparsable.class);
        assertThat(parsesOf(SourceLanguage.PYTHON)).isEqualTo(1);
    }

    @Test
    void aFileWithoutBlobIdIsParsedEveryTime() {
        DeclarationCache cache = cache(DeclarationCache.DEFAULT_MAX_WEIGHT);
        cache.parse(file("shapes.py", null, PYTHON), SourceLanguage.PYTHON);
        cache.parse(file("shapes.py", null, PYTHON), SourceLanguage.PYTHON);
        assertThat(parsesOf(SourceLanguage.PYTHON)).isEqualTo(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void theCacheStaysWithinItsBound() {
        // each file has one declaration: weight 2, so a bound of 20 keeps at most 10 files
        DeclarationCache cache = cache(20);
        for (int n = 0; n < 200; n++) {
            cache.parse(file("shapes.py", "blob-" + n, PYTHON), SourceLanguage.PYTHON);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(10);
        assertThat(parsesOf(SourceLanguage.PYTHON)).isEqualTo(200);
    }
}
