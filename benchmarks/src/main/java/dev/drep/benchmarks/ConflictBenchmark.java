package dev.drep.benchmarks;

import dev.drep.paths.MatchOptions;
import dev.drep.paths.PathPattern;
import dev.drep.paths.PatternOverlap;
import dev.drep.paths.PatternSet;
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
 * The conflict computation of one reserve call of {@code reserve-load.sh}: the 100 reservations and the 50 file
 * paths of {@link ReservationLoad} (fixed seed), an exclusive request, so that every overlap is a conflict
 * (135 of them under git's covering semantics, 100 of them only below the path: {@code *.lock} and
 * {@code **}{@code /test_29*.py} cover {@code services/svc5/src/handler10.py/a.lock}).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ConflictBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}. On a shared
 * machine, CPU time per call is steadier than JMH's wall-clock average (see docs/benchmarks.md, "reserve").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConflictBenchmark {
    private static final int EXAMPLE_BUDGET = 10;

    private PatternSet set;
    private List<PathPattern> candidates;

    @Setup
    public void generate() {
        Random random = new Random(42);
        set = PatternSet.compile(ReservationLoad.reservations(random, 100, 20), MatchOptions.CASE_SENSITIVE);
        candidates = ReservationLoad.paths(random, 50, 20).stream().map(PathPattern::compile).toList();
    }

    /**
     * As the reserve call decides (ReservationService): overlaps and whether each reservation covers the path itself
     * from one run of the set's DFA ({@link PatternSet#overlapOfPath}), then a product search for the first 10
     * conflicts that only meet below the path. The scanner remembers those searches per pair of patterns, so a
     * repeated request skips them; here each call searches, as a first request would.
     */
    @Benchmark
    public int conflicts50x100() {
        int budget = EXAMPLE_BUDGET;
        int examples = 0;
        for (PathPattern candidate : candidates) {
            String path = candidate.text();
            PatternSet.PathOverlap overlap = set.overlapOfPath(path);
            for (int index : overlap.indices()) {
                String example = overlap.coversAsFile(index) ? path : overlap.coversAsDirectory(index) ? path + "/" : null;
                if (example == null && budget > 0) {
                    budget--;
                    example = PatternOverlap.commonPath(candidate, set.get(index)).orElse(null);
                }
                examples += example == null ? 0 : 1;
            }
        }
        return examples;
    }

    /** The same without the product searches, as a repeated request runs with the scanner's remembered examples. */
    @Benchmark
    public int conflicts50x100ExamplesRemembered() {
        int examples = 0;
        for (PathPattern candidate : candidates) {
            String path = candidate.text();
            PatternSet.PathOverlap overlap = set.overlapOfPath(path);
            for (int index : overlap.indices()) {
                examples += overlap.coversAsFile(index) || overlap.coversAsDirectory(index) ? 1 : 0;
            }
        }
        return examples;
    }

    /**
     * The shape before (2026-12-06): the overlapping indices, then each conflicting pattern's own automaton run over
     * the path (twice when it covers only the directory) to find the example.
     */
    @Benchmark
    public int conflicts50x100PerPatternRuns() {
        int budget = EXAMPLE_BUDGET;
        int examples = 0;
        for (PathPattern candidate : candidates) {
            String path = candidate.text();
            for (int index : set.overlappingPath(path)) {
                PathPattern other = set.get(index);
                String example = other.covers(path, false) ? path : other.covers(path, true) ? path + "/" : null;
                if (example == null && budget > 0) {
                    budget--;
                    example = PatternOverlap.commonPath(candidate, other).orElse(null);
                }
                examples += example == null ? 0 : 1;
            }
        }
        return examples;
    }

    /** One product search for a witness path, the literal path against {@code *.lock}. */
    @Benchmark
    public String commonPathBelow() {
        return PatternOverlap.commonPath(candidates.get(0), set.get(lockIndex())).orElseThrow();
    }

    private int lockIndex() {
        for (int i = 0; i < set.size(); i++) {
            if (set.get(i).text().equals("*.lock")) {
                return i;
            }
        }
        throw new IllegalStateException("no *.lock in the workload");
    }
}
