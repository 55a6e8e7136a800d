package dev.drep.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PatternSetTest {

    private static final long SEED = 0x5EED_0303L;

    @Test
    void reportsEveryMatchingPatternInOnePass() {
        PatternSet set = PatternSet.compile(
                List.of("src/**", "*.py", "docs/", "src/a*.py", "README.md", "**/test_*.py", "build/"),
                MatchOptions.CASE_SENSITIVE);
        assertThat(set.coveringIndices("src/ab.py")).containsExactly(0, 1, 3);
        assertThat(set.coveringIndices("docs/guide/intro.md")).containsExactly(2);
        assertThat(set.coveringIndices("lib/test_x.py")).containsExactly(1, 5);
        assertThat(set.coveringIndices("README.md")).containsExactly(4);
        assertThat(set.coveringIndices("other/README.md")).containsExactly(4);
        assertThat(set.coveringIndices("build", false)).isEmpty();
        assertThat(set.coveringIndices("build", true)).containsExactly(6);
        assertThat(set.coveringIndices("build/")).containsExactly(6);
        assertThat(set.anyCovers("Makefile")).isFalse();
        assertThat(set.anyCovers("src\\Main.java")).isTrue();
        assertThat(set.size()).isEqualTo(7);
        assertThat(set.get(3).text()).isEqualTo("src/a*.py");
    }

    @Test
    void resultsBelongToTheCaller() {
        PatternSet set = PatternSet.compile(List.of("*.py"), MatchOptions.CASE_SENSITIVE);
        set.coveringIndices("a.py")[0] = 42;
        assertThat(set.coveringIndices("a.py")).containsExactly(0);
    }

    @Test
    void duplicatePatternsAreAllReported() {
        PatternSet set = PatternSet.compile(List.of("src/**", "docs/**", "src/**"), MatchOptions.CASE_SENSITIVE);
        assertThat(set.coveringIndices("src/x")).containsExactly(0, 2);
    }

    @Test
    void mixesCaseSensitiveAndInsensitivePatterns() {
        PatternSet set = PatternSet.of(List.of(
                PathPattern.compile("Docs/**"), PathPattern.compile("Docs/**", MatchOptions.CASE_INSENSITIVE)));
        assertThat(set.coveringIndices("docs/a.md")).containsExactly(1);
        assertThat(set.coveringIndices("Docs/a.md")).containsExactly(0, 1);
    }

    @Test
    void compileNamesTheInvalidEntry() {
        assertThatThrownBy(() -> PatternSet.compile(List.of("ok/**", "bad["), MatchOptions.CASE_SENSITIVE))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessageStartingWith("patterns:2: invalid pattern \"bad[\"");
    }

    /** The union matcher must say exactly what each pattern says on its own, for every path and kind. */
    @Test
    void agreesWithTheIndividualPatterns() {
        PatternGenerator generator = new PatternGenerator(SEED, false);
        List<String> paths = PatternOverlapTest.enumerate(3);
        for (int round = 0; round < 40; round++) {
            List<PathPattern> patterns = randomPatterns(generator, 30);
            PatternSet set = PatternSet.of(patterns);
            for (String path : paths) {
                for (boolean dir : new boolean[] {false, true}) {
                    int[] expected = IntStream.range(0, patterns.size())
                            .filter(i -> patterns.get(i).covers(path, dir))
                            .toArray();
                    assertThat(set.coveringIndices(path, dir)).as("%s (dir=%s) in %s", path, dir, patterns)
                            .containsExactly(expected);
                }
            }
        }
    }

    @Test
    void overlappingAgreesWithPairwiseOverlap() {
        PatternGenerator generator = new PatternGenerator(SEED + 1, false);
        int found = 0;
        for (int round = 0; round < 40; round++) {
            List<PathPattern> patterns = randomPatterns(generator, 20);
            PatternSet set = PatternSet.of(patterns);
            PathPattern candidate = randomPatterns(generator, 1).get(0);
            int[] expected = IntStream.range(0, patterns.size())
                    .filter(i -> PatternOverlap.overlaps(patterns.get(i), candidate))
                    .toArray();
            assertThat(set.overlapping(candidate)).as("%s against %s", candidate, patterns).containsExactly(expected);
            found += expected.length;
        }
        assertThat(found).isGreaterThan(50);
    }

    @Test
    void overlappingPathAgreesWithTheProductConstructionForNamedPaths() {
        PatternGenerator generator = new PatternGenerator(SEED + 3, false);
        List<String> paths = PatternOverlapTest.enumerate(3).stream().filter(p -> p.contains("/")).toList();
        int found = 0;
        int checked = 0;
        for (int round = 0; round < 20; round++) {
            PatternSet set = PatternSet.of(randomPatterns(generator, 30));
            for (int k = round; k < paths.size(); k += 7) {
                String path = paths.get(k);
                int[] expected = set.overlapping(PathPattern.compile(path));
                // twice: the second answer comes from the remembered state below the path
                assertThat(set.overlappingPath(path)).as("%s against %s", path, set.patterns()).containsExactly(expected);
                assertThat(set.overlappingPath(path)).containsExactly(expected);
                found += expected.length;
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(200);
        assertThat(found).isGreaterThan(500);
    }

    @Test
    void overlapOfPathSaysWhichPatternsCoverThePathItselfAsEachPatternDoes() {
        PatternGenerator generator = new PatternGenerator(SEED + 4, false);
        List<String> paths = PatternOverlapTest.enumerate(3).stream().filter(p -> p.contains("/")).toList();
        int asFile = 0;
        int onlyBelow = 0;
        for (int round = 0; round < 10; round++) {
            PatternSet set = PatternSet.of(randomPatterns(generator, 30));
            for (int k = round; k < paths.size(); k += 11) {
                String path = paths.get(k);
                PatternSet.PathOverlap overlap = set.overlapOfPath(path);
                assertThat(overlap.indices()).containsExactly(set.overlapping(PathPattern.compile(path)));
                for (int index : overlap.indices()) {
                    PathPattern pattern = set.get(index);
                    assertThat(overlap.coversAsFile(index)).as("%s covers the file %s", pattern, path)
                            .isEqualTo(pattern.covers(path, false));
                    assertThat(overlap.coversAsDirectory(index)).as("%s covers the directory %s", pattern, path)
                            .isEqualTo(pattern.covers(path, true));
                    asFile += overlap.coversAsFile(index) ? 1 : 0;
                    onlyBelow += overlap.coversAsDirectory(index) ? 0 : 1;
                }
            }
        }
        assertThat(asFile).isGreaterThan(50);
        assertThat(onlyBelow).isGreaterThan(50);
    }

    /** With a tiny cache the DFA is rebuilt constantly; answers must not change. */
    @Test
    void boundedDfaCacheGivesTheSameAnswers() {
        PatternGenerator generator = new PatternGenerator(SEED + 2, false);
        List<PathPattern> patterns = randomPatterns(generator, 50);
        GlobNfa.Builder builder = new GlobNfa.Builder();
        for (int i = 0; i < patterns.size(); i++) {
            patterns.get(i).addTo(builder, i);
        }
        GlobNfa nfa = builder.build();
        LazyDfa roomy = new LazyDfa(nfa, 100_000, 10_000_000);
        LazyDfa cramped = new LazyDfa(nfa, 3, 40);
        for (String path : PatternOverlapTest.enumerate(3)) {
            LazyDfa.State a = roomy.run(path);
            LazyDfa.State b = cramped.run(path);
            assertThat(b.fileMatches).as(path).containsExactly(a.fileMatches);
            assertThat(b.dirMatches).as(path).containsExactly(a.dirMatches);
        }
        assertThat(cramped.cachedStates()).isLessThanOrEqualTo(4);
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        PatternGenerator generator = new PatternGenerator(SEED + 3, false);
        List<PathPattern> patterns = randomPatterns(generator, 200);
        List<String> paths = PatternOverlapTest.enumerate(3);
        List<int[]> expected = new ArrayList<>();
        PatternSet reference = PatternSet.of(patterns);
        for (String path : paths) {
            expected.add(reference.coveringIndices(path));
        }
        PatternSet shared = PatternSet.of(patterns);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    int agreed = 0;
                    for (int i = 0; i < 5_000; i++) {
                        int k = random.nextInt(paths.size());
                        agreed += Arrays.equals(shared.coveringIndices(paths.get(k)), expected.get(k)) ? 1 : 0;
                    }
                    return agreed;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(5_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<PathPattern> randomPatterns(PatternGenerator generator, int count) {
        List<PathPattern> patterns = new ArrayList<>();
        while (patterns.size() < count) {
            try {
                patterns.add(PathPattern.compile(generator.reservationPattern()));
            } catch (InvalidPatternException e) {
                // The generator also produces e.g. "/" alone; those are not what this test is about.
            }
        }
        return patterns;
    }
}
