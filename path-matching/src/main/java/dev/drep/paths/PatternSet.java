package dev.drep.paths;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Many patterns compiled into one automaton that says which of them match a path in a single pass over the
 * path's characters. Used for reservations ("which reservations cover this staged file?") where the
 * original system looped over one matcher per pattern.
 *
 * <p>The patterns form a trie of their steps, so shared prefixes such as {@code src/module7/} are matched
 * once; the DFA over it is built lazily and cached (bounded), so after warm-up each character costs one
 * array lookup and the answer is a precomputed index array of the final state. A path that no pattern can
 * still match stops the scan early.
 *
 * <p>Semantics per pattern are git's covering, those of {@link PathPattern#covers(String, boolean)}: a pattern
 * covers the paths it matches and everything below them. Immutable and thread-safe.
 */
public final class PatternSet {

    private static final int DFA_STATE_BUDGET = 50_000;
    private static final long DFA_SUBSET_BUDGET = 2_000_000;
    private static final int BELOW_CACHE = 4_096;
    /** Every valid path: what a path's covering language adds below it. */
    private static final PathPattern BELOW = PathPattern.compile("**");

    private final List<PathPattern> patterns;
    private final GlobNfa nfa;
    private final LazyDfa dfa;
    /** Per DFA state after a directory prefix: the patterns covering some path below it (bounded, by identity). */
    private final Map<LazyDfa.State, int[]> belowByState = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LazyDfa.State, int[]> eldest) {
            return size() > BELOW_CACHE;
        }
    };

    private PatternSet(List<PathPattern> patterns) {
        this.patterns = patterns;
        GlobNfa.Builder builder = new GlobNfa.Builder();
        for (int i = 0; i < patterns.size(); i++) {
            patterns.get(i).addCoveringTo(builder, i);
        }
        this.nfa = builder.build();
        this.dfa = new LazyDfa(nfa, DFA_STATE_BUDGET, DFA_SUBSET_BUDGET);
    }

    /** A set over already compiled patterns; index {@code i} in results refers to {@code patterns.get(i)}. */
    public static PatternSet of(List<PathPattern> patterns) {
        List<PathPattern> copy = List.copyOf(patterns);
        return new PatternSet(copy);
    }

    /**
     * Compiles each pattern with {@code options} and builds the set.
     *
     * @throws InvalidPatternException for the first invalid pattern, with its position in the list
     */
    public static PatternSet compile(List<String> patterns, MatchOptions options) {
        Objects.requireNonNull(options, "options");
        List<PathPattern> compiled = new ArrayList<>(patterns.size());
        for (int i = 0; i < patterns.size(); i++) {
            try {
                compiled.add(PathPattern.compile(patterns.get(i), options));
            } catch (InvalidPatternException e) {
                throw e.at("patterns", i + 1);
            }
        }
        return new PatternSet(List.copyOf(compiled));
    }

    /** Number of patterns. */
    public int size() {
        return patterns.size();
    }

    /** The pattern at {@code index}, as results refer to it. */
    public PathPattern get(int index) {
        return patterns.get(index);
    }

    /** All patterns in index order. */
    public List<PathPattern> patterns() {
        return patterns;
    }

    /**
     * Indices of the patterns that cover {@code path} (match it or one of its parent directories), ascending;
     * a file unless written with a trailing slash. The array is the caller's to keep or modify.
     */
    public int[] coveringIndices(String path) {
        return coveringIndices(path, RepositoryPath.namesDirectory(path));
    }

    /** Indices of the patterns that cover {@code path}, ascending; the array is the caller's. */
    public int[] coveringIndices(String path, boolean isDirectory) {
        int[] found = finalState(path, isDirectory);
        return found.length == 0 ? found : found.clone();
    }

    /** Whether any pattern covers {@code path}, a file unless written with a trailing slash. */
    public boolean anyCovers(String path) {
        return anyCovers(path, RepositoryPath.namesDirectory(path));
    }

    /** Whether any pattern covers {@code path}. */
    public boolean anyCovers(String path, boolean isDirectory) {
        return finalState(path, isDirectory).length > 0;
    }

    /**
     * Indices of the patterns that cover at least one path {@code candidate} covers too, ascending, decided exactly
     * by one product construction of this set's automaton with the candidate's (see {@link PatternOverlap}).
     * This is the reservation conflict question: which existing patterns does a new one touch?
     */
    public int[] overlapping(PathPattern candidate) {
        return LanguageAnalysis.overlapping(nfa, candidate.coveringNfa());
    }

    /**
     * The same answer as {@link #overlapping} for the pattern that names exactly {@code path} (no glob
     * character, anchored by a slash inside, such as {@code src/api}), computed without a product over the
     * whole path: the patterns that cover {@code path} itself (as a file or a directory), from one DFA run, and
     * those that cover something below it, from the DFA state after {@code path/}, which is remembered (paths
     * in one directory share it).
     *
     * @throws IllegalArgumentException if {@code path} is not in normal form ({@link RepositoryPath#normalize})
     */
    public int[] overlappingPath(String path) {
        return overlapOfPath(path).indices();
    }

    /**
     * {@link #overlappingPath} with how each pattern overlaps: whether it covers {@code path} itself as a file, as a
     * directory, or only something below it. From the same single DFA run, so that a caller that wants an example
     * path per overlap need not run each pattern's automaton over the path again.
     *
     * @throws IllegalArgumentException if {@code path} is not in normal form ({@link RepositoryPath#normalize})
     */
    public PathOverlap overlapOfPath(String path) {
        if (path.isEmpty() || !RepositoryPath.normalize(path).equals(path)) {
            throw new IllegalArgumentException("not a normalised path: \"" + path + "\"");
        }
        LazyDfa.State end = dfa.run(path);
        if (end.dead) {
            return new PathOverlap(LazyDfa.EMPTY, LazyDfa.EMPTY, LazyDfa.EMPTY);
        }
        int[] below = LazyDfa.EMPTY;
        LazyDfa.State inside = dfa.step(end, '/');
        if (!inside.dead) {
            synchronized (belowByState) {
                below = belowByState.get(inside);
            }
            if (below == null) {
                below = LanguageAnalysis.overlapping(nfa, inside.nfaStates, BELOW.coveringNfa());
                synchronized (belowByState) {
                    belowByState.put(inside, below);
                }
            }
        }
        return new PathOverlap(union(union(end.fileMatches, end.dirMatches), below), end.fileMatches, end.dirMatches);
    }

    /**
     * The patterns that overlap one named path ({@link #overlapOfPath}): {@link #indices()} ascending, and for each
     * whether it covers the path itself.
     */
    public static final class PathOverlap {
        private final int[] indices;
        private final int[] coveringFile;
        private final int[] coveringDirectory;

        private PathOverlap(int[] indices, int[] coveringFile, int[] coveringDirectory) {
            this.indices = indices;
            this.coveringFile = coveringFile;
            this.coveringDirectory = coveringDirectory;
        }

        /** Indices of the patterns that cover some path the named path covers, ascending; the array is the caller's. */
        public int[] indices() {
            return indices;
        }

        /** Whether pattern {@code index} covers the named path as a file ({@link PathPattern#covers(String, boolean)}). */
        public boolean coversAsFile(int index) {
            return Arrays.binarySearch(coveringFile, index) >= 0;
        }

        /** Whether pattern {@code index} covers the named path as a directory. */
        public boolean coversAsDirectory(int index) {
            return Arrays.binarySearch(coveringDirectory, index) >= 0;
        }
    }

    private static int[] union(int[] a, int[] b) {
        if (b.length == 0) {
            return a.clone();
        }
        if (a.length == 0) {
            return b.clone();
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

    private int[] finalState(String path, boolean isDirectory) {
        String normal = RepositoryPath.normalize(path);
        if (normal.isEmpty()) {
            return LazyDfa.EMPTY;
        }
        LazyDfa.State end = dfa.run(normal);
        return isDirectory ? end.dirMatches : end.fileMatches;
    }
}
