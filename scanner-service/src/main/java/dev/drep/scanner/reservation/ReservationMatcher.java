package dev.drep.scanner.reservation;

import dev.drep.paths.PathPattern;
import dev.drep.paths.PatternSet;
import java.util.Arrays;
import java.util.List;

/**
 * The patterns of a repository's active reservations compiled into one {@link PatternSet}; index {@code i}
 * refers to the {@code i}-th reservation of the list it was built from.
 *
 * <p>Overlap between a requested pattern and the reservations is exact: for a single-path request it is
 * whether some reservation matches that path (as a file or as a directory, since
 * {@link dev.drep.paths.PatternOverlap} leaves the kind of a path open), answered by the set's DFA in one
 * pass; for a glob it is {@link PatternSet#overlapping}, one product construction against the whole set.
 * Immutable and thread-safe.
 */
public final class ReservationMatcher {
    private final PatternSet set;

    ReservationMatcher(List<PathPattern> patterns) {
        this.set = PatternSet.of(patterns);
    }

    /** @return how many patterns it holds */
    public int size() {
        return set.size();
    }

    /** @return ascending indices of the reservations whose patterns share at least one path with {@code candidate} */
    public int[] overlapping(CandidatePattern candidate) {
        if (!candidate.singlePath()) {
            return set.overlapping(candidate.compiled());
        }
        return union(set.matchingIndices(candidate.text(), false), set.matchingIndices(candidate.text(), true));
    }

    /** @return ascending indices of the reservations whose patterns match the file {@code path} */
    public int[] covering(String path) {
        return set.matchingIndices(path, false);
    }

    private static int[] union(int[] a, int[] b) {
        if (b.length == 0) {
            return a;
        }
        if (a.length == 0) {
            return b;
        }
        int[] merged = new int[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            int next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
            if (n == 0 || merged[n - 1] != next) {
                merged[n++] = next;
            }
        }
        return Arrays.copyOf(merged, n);
    }
}
