package dev.drep.paths;

import java.util.Optional;

/**
 * Whether two patterns can cover the same path, decided exactly: the two pattern automata and an automaton
 * of valid paths are intersected (product construction) and searched for a reachable accepting state.
 * Unlike matching one pattern's text against the other, this finds overlaps such as {@code src/a*.py} with
 * {@code src/*b.py} (both match {@code src/ab.py}) and {@code **}{@code /*.py} with {@code src/**}.
 *
 * <p>Languages are those of {@link PathPattern#covers(String, boolean)}, git's: a pattern covers the paths it
 * matches and everything below them, so {@code src/api} and {@code src/api/*.py} overlap on
 * {@code src/api/a.py}, and {@code src/*} and {@code src/a/b.py} on {@code src/a/b.py}. The path's kind is
 * left open: a path may be a file or a directory, so {@code build/} and {@code build} overlap on the
 * directory {@code build}. Case-sensitive and case-insensitive patterns can be mixed; each keeps its own rule.
 */
public final class PatternOverlap {

    private PatternOverlap() {}

    /** Whether some path is covered by both patterns. */
    public static boolean overlaps(PathPattern a, PathPattern b) {
        return commonPath(a, b).isPresent();
    }

    /**
     * A shortest path that both patterns cover, if any. It ends with {@code /} when both cover it only as a
     * directory (then {@link PathPattern#covers(String)} reads it as one), e.g. {@code build/} for
     * {@code build/} and {@code build}.
     */
    public static Optional<String> commonPath(PathPattern a, PathPattern b) {
        return LanguageAnalysis.commonPath(a.coveringNfa(), b.coveringNfa());
    }
}
