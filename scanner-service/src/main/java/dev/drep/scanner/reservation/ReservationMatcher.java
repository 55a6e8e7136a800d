package dev.drep.scanner.reservation;

import dev.drep.paths.PathPattern;
import dev.drep.paths.PatternSet;
import dev.drep.paths.RepositoryPath;
import java.util.List;

/**
 * The patterns of a repository's active reservations compiled into one {@link PatternSet}; index {@code i}
 * refers to the {@code i}-th reservation of the list it was built from.
 *
 * <p>Semantics are git's covering ({@link PathPattern#covers}): a reservation covers the paths its pattern
 * matches and everything below them, so {@code src/api} covers {@code src/api/handler.py}. Overlap between
 * a requested pattern and the reservations is exact: for a glob, {@link PatternSet#overlapping}, one product
 * construction of the candidate's covering automaton against the whole set; for a single path,
 * {@link PatternSet#overlappingPath}, the same answer from the set's DFA (what covers the path, plus what
 * covers something below it, {@code src/api} against {@code src/api/*.py}, remembered per directory).
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
        PatternSet.PathOverlap overlap = overlapOfPath(candidate);
        return overlap != null ? overlap.indices() : set.overlapping(candidate.compiled());
    }

    /**
     * @return for a candidate that names one path in normal form, the reservations it overlaps and whether each
     *     covers the path itself (from one run of the set's DFA); null for any other candidate
     */
    public PatternSet.PathOverlap overlapOfPath(CandidatePattern candidate) {
        if (candidate.singlePath() && RepositoryPath.normalize(candidate.text()).equals(candidate.text())) {
            return set.overlapOfPath(candidate.text());
        }
        return null;
    }

    /** @return the compiled pattern of the {@code index}-th reservation */
    public PathPattern pattern(int index) {
        return set.get(index);
    }

    /** @return ascending indices of the reservations that cover the file {@code path} (it or a parent directory) */
    public int[] covering(String path) {
        return set.coveringIndices(path, false);
    }
}
