package dev.drep.paths;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatternOverlapTest {

    private static final long SEED = 0x5EED_0203L;
    private static final List<String> SEGMENTS = List.of("a", "b", "ab", "a.py");

    @ParameterizedTest(name = "{0} and {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            src/a*.py   | src/*b.py   | src/ab.py
            **/*.py     | src/**      | src/a.py
            src/app.py  | src/**      | src/app.py
            a/          | a/b/c       | a/b/c
            build/      | **/*.o      | build/a.o
            docs/       | docs/**     | docs/a
            *.md        | README.md   | README.md
            a/**/b      | a/x/**      | a/x/b
            build/      | build       | build/
            src/api     | src/api/handler.py | src/api/handler.py
            src/*       | src/a/b.py  | src/a/b.py
            build       | build/x.o   | build/x.o
            a/*         | a/b/c       | a/b/c
            a/**/b      | a/b/c       | a/b/c
            src/**      | /src        | src/a
            """)
    void findsOverlapsTheTextHeuristicMisses(String a, String b, String witness) {
        PathPattern first = PathPattern.compile(a);
        PathPattern second = PathPattern.compile(b);
        assertThat(PatternOverlap.overlaps(first, second)).isTrue();
        assertThat(PatternOverlap.commonPath(first, second)).hasValue(witness);
        assertThat(PatternOverlap.commonPath(second, first)).hasValue(witness);
        assertThat(first.covers(witness)).isTrue();
        assertThat(second.covers(witness)).isTrue();
    }

    @ParameterizedTest(name = "{0} and {1}: disjoint")
    @CsvSource(delimiter = '|', textBlock = """
            src/*.py    | docs/*.py
            a/*.md      | a/*.py
            src/**      | /docs
            a/b/*       | a/c
            /[ab].txt   | /c.txt
            /build/     | /tools/builder
            /build/     | /build.o
            """)
    void saysNoWhenNoPathCoversBoth(String a, String b) {
        PathPattern first = PathPattern.compile(a);
        PathPattern second = PathPattern.compile(b);
        assertThat(PatternOverlap.overlaps(first, second)).isFalse();
        assertThat(PatternOverlap.commonPath(first, second)).isEmpty();
    }

    @Test
    void caseInsensitivePatternsOverlapOnAnyCase() {
        PathPattern insensitive = PathPattern.compile("SRC/*.PY", MatchOptions.CASE_INSENSITIVE);
        PathPattern exact = PathPattern.compile("src/App.py");
        assertThat(PatternOverlap.commonPath(insensitive, exact)).hasValue("src/App.py");
        assertThat(PatternOverlap.overlaps(PathPattern.compile("SRC/*.PY"), exact)).isFalse();
        Optional<String> both = PatternOverlap.commonPath(
                insensitive, PathPattern.compile("src/a*", MatchOptions.CASE_INSENSITIVE));
        assertThat(both).isPresent();
        assertThat(insensitive.covers(both.get())).isTrue();
    }

    @Test
    void witnessesAreValidPathsEvenWhenPatternsAllowOthers() {
        // "." and ".." are not path segments, so these patterns cannot meet on them.
        assertThat(PatternOverlap.commonPath(PathPattern.compile("?"), PathPattern.compile(".")))
                .isEmpty();
        assertThat(PatternOverlap.commonPath(PathPattern.compile("x/*"), PathPattern.compile("x/.?")))
                .hasValueSatisfying(w -> assertThat(w).startsWith("x/.").hasSize(4).isNotEqualTo("x/.."));
        // A literal backslash in a pattern can never match a normalised path.
        assertThat(PatternOverlap.overlaps(PathPattern.compile("a\\\\b"), PathPattern.compile("**"))).isFalse();
    }

    /**
     * Brute force over every path of up to three segments from {a, b, ab, a.py}, each as a file and as a
     * directory: whenever one is covered by both patterns, {@code overlaps} must say so; whenever
     * {@code overlaps} says so, its witness must be covered by both (it may lie beyond the enumerated bound).
     * Covering itself is checked against git in {@link GitOracleTest}.
     */
    @Test
    void agreesWithBruteForceEnumeration() {
        List<String> paths = enumerate(3);
        PatternGenerator generator = new PatternGenerator(SEED, false);
        List<String> failures = new ArrayList<>();
        int overlapping = 0;
        int disjoint = 0;
        int beyondBound = 0;
        for (int i = 0; i < 2_000; i++) {
            PathPattern a = compileOrNull(generator.reservationPattern());
            PathPattern b = compileOrNull(generator.reservationPattern());
            if (a == null || b == null) {
                continue;
            }
            boolean bruteForce = paths.stream().anyMatch(p ->
                    (a.covers(p, false) && b.covers(p, false)) || (a.covers(p, true) && b.covers(p, true)));
            Optional<String> witness = PatternOverlap.commonPath(a, b);
            if (bruteForce && witness.isEmpty()) {
                failures.add(a.text() + " and " + b.text() + ": brute force finds a common path, overlap says none");
            }
            if (witness.isPresent()) {
                String w = witness.get();
                if (!a.covers(w) || !b.covers(w) || !isValidPath(w)) {
                    failures.add(a.text() + " and " + b.text() + ": witness " + w + " is not covered by both");
                }
                overlapping++;
                beyondBound += bruteForce ? 0 : 1;
            } else {
                disjoint++;
            }
        }
        assertThat(failures).isEmpty();
        assertThat(overlapping).isGreaterThan(200);
        assertThat(disjoint).isGreaterThan(100);
        assertThat(beyondBound).as("witnesses beyond the enumeration bound").isGreaterThan(0);
    }

    private static PathPattern compileOrNull(String text) {
        try {
            return PathPattern.compile(text);
        } catch (InvalidPatternException e) {
            return null;
        }
    }

    private static boolean isValidPath(String witness) {
        String path = witness.endsWith("/") ? witness.substring(0, witness.length() - 1) : witness;
        return !path.isEmpty() && RepositoryPath.normalize(path).equals(path) && !path.contains("\\")
                && List.of(path.split("/")).stream().noneMatch(s -> s.equals(".") || s.equals(".."));
    }

    static List<String> enumerate(int depth) {
        List<String> all = new ArrayList<>();
        List<String> level = List.of("");
        for (int d = 0; d < depth; d++) {
            List<String> next = new ArrayList<>();
            for (String prefix : level) {
                for (String segment : SEGMENTS) {
                    next.add(prefix.isEmpty() ? segment : prefix + "/" + segment);
                }
            }
            all.addAll(next);
            level = next;
        }
        return all;
    }
}
