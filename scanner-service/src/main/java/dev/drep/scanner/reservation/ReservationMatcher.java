package dev.drep.scanner.reservation;

import dev.drep.paths.PathPattern;
import dev.drep.paths.PatternSet;
import java.util.List;

/**
 * The patterns of a repository's active reservations compiled into one {@link PatternSet}; index {@code i}
 * refers to the {@code i}-th reservation of the list it was built from.
 *
 * <p>Semantics are git's covering ({@link PathPattern#covers}): a reservation covers the paths its pattern
 * matches and everything below them, so {@code src/api} covers {@code src/api/handler.py}. Overlap between
 * a requested pattern and the reservations is exact, {@link PatternSet#overlapping}: one product
 * construction of the candidate's covering automaton against the whole set. (A single path is no shortcut
 * any more: {@code src/api} overlaps {@code src/api/*.py} although neither covers the other's text.)
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

    /** @return ascending indices of the reservations that cover at least one path {@code candidate} covers */
    public int[] overlapping(CandidatePattern candidate) {
        return set.overlapping(candidate.compiled());
    }

    /** @return ascending indices of the reservations that cover the file {@code path} (it or a parent directory) */
    public int[] covering(String path) {
        return set.coveringIndices(path, false);
    }
}
