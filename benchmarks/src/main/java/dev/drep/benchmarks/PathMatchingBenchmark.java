package dev.drep.benchmarks;

import dev.drep.paths.MatchOptions;
import dev.drep.paths.PathPattern;
import dev.drep.paths.PatternSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reservation matching, measured against the figures of the original system (its ADR-002): for 50 paths
 * against 100 reservation patterns, 28.89 ms uncached, 2.77 ms cached, 1.09 ms with one union matcher, and
 * an estimated 0.05 ms for a Rust globset port. Targets here: at most 0.02 ms (20 us) for that workload and
 * at most 10 ms for 10,000 patterns against 1,000 paths.
 *
 * <p>Workload (fixed seed): a repository of modules {@code services/svcN/src/...}, {@code docs/...},
 * {@code tests/...}; reservations as agents make them: single files (40%), module directories as
 * {@code dir/} or {@code dir/**} (25%), extension globs inside a module (20%), cross-cutting globs such as
 * {@code **}{@code /test_*.py}, {@code docs/**}{@code /*.md} or {@code *.lock} (10%), and name-prefix globs
 * (5%). Paths are drawn from the same repository: 24 of the 50 paths match some of the 100 patterns
 * (38 matches in all); against 10,000 patterns 884 of the 1,000 paths match (7,066 matches in all).
 *
 * <ul>
 *   <li>{@code union50x100}: the seed's workload through a compiled {@link PatternSet} (warm DFA cache);
 *   <li>{@code union50x100FromScratch}: compile the 100 patterns and match the 50 paths, cold cache, as a
 *       service that compiled per request would;
 *   <li>{@code loop50x100}: the seed's slow baseline shape, 100 single-pattern matchers per path;
 *   <li>{@code union10000x1000}: 10,000 patterns against 1,000 paths (warm);
 *   <li>{@code compile100}: compiling 100 patterns into a {@link PatternSet}.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PathMatchingBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PathMatchingBenchmark {

    private static final String[] EXTENSIONS = {"py", "java", "md", "json", "ts", "go", "yaml"};

    private List<String> patterns100;
    private PatternSet set100;
    private List<PathPattern> compiled100;
    private List<String> paths50;
    private PatternSet set10000;
    private List<String> paths1000;

    @Setup
    public void generate() {
        Random random = new Random(42);
        patterns100 = reservations(random, 100, 20);
        set100 = PatternSet.compile(patterns100, MatchOptions.CASE_SENSITIVE);
        compiled100 = set100.patterns();
        paths50 = paths(random, 50, 20);
        set10000 = PatternSet.compile(reservations(random, 10_000, 500), MatchOptions.CASE_SENSITIVE);
        paths1000 = paths(random, 1_000, 500);
    }

    @Benchmark
    public int union50x100() {
        int matches = 0;
        for (String path : paths50) {
            matches += set100.coveringIndices(path).length;
        }
        return matches;
    }

    @Benchmark
    public int union50x100FromScratch() {
        PatternSet set = PatternSet.compile(patterns100, MatchOptions.CASE_SENSITIVE);
        int matches = 0;
        for (String path : paths50) {
            matches += set.coveringIndices(path).length;
        }
        return matches;
    }

    @Benchmark
    public int loop50x100() {
        int matches = 0;
        for (String path : paths50) {
            for (PathPattern pattern : compiled100) {
                matches += pattern.covers(path) ? 1 : 0;
            }
        }
        return matches;
    }

    @Benchmark
    public int union10000x1000() {
        int matches = 0;
        for (String path : paths1000) {
            matches += set10000.coveringIndices(path).length;
        }
        return matches;
    }

    @Benchmark
    public PatternSet compile100() {
        return PatternSet.compile(patterns100, MatchOptions.CASE_SENSITIVE);
    }

    private static List<String> reservations(Random random, int count, int modules) {
        List<String> patterns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String module = "services/svc" + random.nextInt(modules);
            int roll = random.nextInt(100);
            if (roll < 40) {
                patterns.add(module + "/" + file(random));
            } else if (roll < 65) {
                patterns.add(module + (random.nextBoolean() ? "/src/" : "/src/**"));
            } else if (roll < 85) {
                patterns.add(module + "/src/*." + EXTENSIONS[random.nextInt(EXTENSIONS.length)]);
            } else if (roll < 95) {
                patterns.add(switch (random.nextInt(4)) {
                    case 0 -> "**/test_" + random.nextInt(50) + "*.py";
                    case 1 -> "docs/**/*." + EXTENSIONS[random.nextInt(EXTENSIONS.length)];
                    case 2 -> "*.lock";
                    default -> "tests/" + "module" + random.nextInt(modules) + "/**";
                });
            } else {
                patterns.add(module + "/src/handler" + random.nextInt(10) + "*");
            }
        }
        return patterns;
    }

    private static List<String> paths(Random random, int count, int modules) {
        List<String> paths = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int roll = random.nextInt(10);
            if (roll < 7) {
                paths.add("services/svc" + random.nextInt(modules) + "/" + file(random));
            } else if (roll < 8) {
                paths.add("docs/guide/chapter" + random.nextInt(30) + ".md");
            } else if (roll < 9) {
                paths.add("tests/module" + random.nextInt(modules) + "/test_" + random.nextInt(80) + "_case.py");
            } else {
                paths.add("tools/scripts/release" + random.nextInt(5) + ".sh");
            }
        }
        return paths;
    }

    private static String file(Random random) {
        String ext = EXTENSIONS[random.nextInt(EXTENSIONS.length)];
        return switch (random.nextInt(3)) {
            case 0 -> "src/handler" + random.nextInt(40) + "." + ext;
            case 1 -> "src/model/entity" + random.nextInt(40) + "." + ext;
            default -> "README.md";
        };
    }
}
