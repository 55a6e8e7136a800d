package dev.drep.paths;

import java.util.Optional;

/**
 * Whether two patterns can match the same path, decided exactly: the two pattern automata and an automaton
 * of valid paths are intersected (product construction) and searched for a reachable accepting state.
 * Unlike matching one pattern's text against the other, this finds overlaps such as {@code src/a*.py} with
 * {@code src/*b.py} (both match {@code src/ab.py}) and {@code **}{@code /*.py} with {@code src/**}.
 *
 * <p>Languages are those of {@link PathPattern#matches(String, boolean)} with the path's kind left open: a
 * path may be a file or a directory, so {@code build/} and {@code build} overlap on the directory
 * {@code build}. Case-sensitive and case-insensitive patterns can be mixed; each keeps its own rule.
 */
public final class PatternOverlap {

    private PatternOverlap() {}

    /** Whether some path matches both patterns. */
    public static boolean overlaps(PathPattern a, PathPattern b) {
        return commonPath(a, b).isPresent();
    }

    /**
     * A shortest path that both patterns match, if any. It ends with {@code /} when it only matches as a
     * directory (then {@link PathPattern#matches(String)} reads it as one), e.g. {@code build/} for
     * {@code build/} and {@code build}.
     */
    public static Optional<String> commonPath(PathPattern a, PathPattern b) {
        return LanguageAnalysis.commonPath(a.nfa(), b.nfa());
    }
}
