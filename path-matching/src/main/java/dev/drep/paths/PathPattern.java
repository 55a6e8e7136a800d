package dev.drep.paths;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One compiled path pattern with git's gitignore syntax: {@code *}, {@code ?}, bracket expressions (ranges,
 * {@code [!x]}/{@code [^x]}, POSIX classes such as {@code [[:alpha:]]}), backslash escapes, {@code **} in
 * its leading, middle and trailing forms, anchoring by a leading or middle slash, and a trailing slash for
 * "directories only". Trailing unescaped spaces are dropped as git does.
 *
 * <p>Two questions, two names, so that no caller picks the narrow one by accident:
 * <ul>
 *   <li>{@link #covers} is git's answer, the one reservations, guards and reviews use: a path is covered
 *       when git would ignore it under a {@code .gitignore} holding just this pattern, that is when the
 *       pattern matches the path itself or one of its parent directories. {@code src/api} covers
 *       {@code src/api/handler.py}; {@code src/*} covers {@code src/a/b.py}; {@code build} covers
 *       {@code build/x.o} and {@code lib/build/x.o}. A directory-only pattern ({@code build/}) covers the
 *       directory and everything below it, never a file named {@code build}.
 *       {@link #overlaps}, {@link #commonPath} and {@link #matchesEverything} are about covering too.
 *   <li>{@link #matchesExactly} is the pattern's direct match, without parents: a pattern without a slash
 *       matches the last segment at any depth ({@code *.py} matches {@code a/b/c.py}); a pattern with a slash
 *       matches the whole path ({@code src/*.py} matches {@code src/app.py}, not {@code lib/src/app.py}), so
 *       {@code a/*} matches {@code a/b} but not {@code a/b/c}; a directory-only pattern matches the
 *       directory and what is below it. Only rule lists where a later line may re-include a path need this
 *       ({@link IgnoreRules} walks the parents itself).
 * </ul>
 *
 * <p>Matching runs a lazily built DFA: linear in the path, no backtracking, whatever the pattern.
 * Instances are immutable and thread-safe.
 */
public final class PathPattern {

    /** The longest pattern accepted, in UTF-16 characters. */
    public static final int MAX_LENGTH = 4096;

    /** The most {@code **} a pattern may contain; each adds a state that stays live on every character. */
    public static final int MAX_DOUBLE_STARS = 16;

    private static final int DFA_STATE_BUDGET = 2_000;
    private static final long DFA_SUBSET_BUDGET = 200_000;

    private final String text;
    private final MatchOptions options;
    private final ParsedPattern parsed;
    private volatile GlobNfa nfa;
    private volatile LazyDfa dfa;
    private volatile GlobNfa coveringNfa;
    private volatile LazyDfa coveringDfa;

    private PathPattern(String text, MatchOptions options, ParsedPattern parsed) {
        this.text = text;
        this.options = options;
        this.parsed = parsed;
    }

    /** Compiles a case-sensitive pattern. */
    public static PathPattern compile(String pattern) {
        return compile(pattern, MatchOptions.CASE_SENSITIVE);
    }

    /**
     * Compiles a pattern. A leading {@code #} is an ordinary character here (comments exist only in
     * gitignore text); a leading {@code !} is refused because negation only means something in
     * {@link IgnoreRules}.
     *
     * @throws InvalidPatternException if the pattern is empty, longer than {@link #MAX_LENGTH}, contains NUL,
     *     has an unclosed {@code [}, an unknown {@code [:class:]}, a trailing unpaired backslash or more
     *     than {@link #MAX_DOUBLE_STARS} {@code **}
     */
    public static PathPattern compile(String pattern, MatchOptions options) {
        Objects.requireNonNull(options, "options");
        return new PathPattern(pattern, options, PatternSyntax.parse(pattern, options, false));
    }

    /** The pattern as given. */
    public String text() {
        return text;
    }

    /** The options it was compiled with. */
    public MatchOptions options() {
        return options;
    }

    /** Whether it ends with a slash: it matches a directory and what is below it, never a file by name. */
    public boolean isDirectoryOnly() {
        return parsed.directoryOnly();
    }

    /** Whether it has no slash before its end, so it matches a name at any depth. */
    public boolean matchesAtAnyDepth() {
        return parsed.basenameOnly();
    }

    /**
     * Whether git would ignore {@code path} under a {@code .gitignore} holding only this pattern: the pattern
     * matches the path or one of its parent directories. {@code path} is a file unless written with a trailing
     * slash. This is what a reservation of the pattern covers.
     *
     * @param path relative to the repository root; {@code \} and {@code /} both separate directories
     */
    public boolean covers(String path) {
        return covers(path, RepositoryPath.namesDirectory(path));
    }

    /**
     * Whether git would ignore {@code path} under a {@code .gitignore} holding only this pattern: the pattern
     * matches the path or one of its parent directories.
     *
     * @param path relative to the repository root; {@code \} and {@code /} both separate directories
     * @param isDirectory whether the path is a directory, which only directory-only patterns care about
     */
    public boolean covers(String path, boolean isDirectory) {
        return accepts(coveringAutomaton(), path, isDirectory);
    }

    /**
     * Whether the pattern matches {@code path} itself, not counting its parent directories ({@code src}
     * matches the path {@code src} but not {@code src/a.py}); a file unless written with a trailing slash.
     * For what a pattern protects or ignores use {@link #covers}.
     *
     * @param path relative to the repository root; {@code \} and {@code /} both separate directories
     */
    public boolean matchesExactly(String path) {
        return matchesExactly(path, RepositoryPath.namesDirectory(path));
    }

    /**
     * Whether the pattern matches {@code path} itself, not counting its parent directories; see
     * {@link #matchesExactly(String)}.
     *
     * @param path relative to the repository root; {@code \} and {@code /} both separate directories
     * @param isDirectory whether the path is a directory, which only directory-only patterns care about
     */
    public boolean matchesExactly(String path, boolean isDirectory) {
        return accepts(automaton(), path, isDirectory);
    }

    private static boolean accepts(LazyDfa automaton, String path, boolean isDirectory) {
        String normal = RepositoryPath.normalize(path);
        if (normal.isEmpty()) {
            return false;
        }
        LazyDfa.State end = automaton.run(normal);
        return (isDirectory ? end.dirMatches : end.fileMatches).length > 0;
    }

    /**
     * Whether the pattern covers every file path, as {@code *}, {@code **} and {@code **}{@code /*} do. Decided
     * exactly on the covering automaton (is there a valid path it does not cover?), not by comparing text.
     *
     * @throws InvalidPatternException if the pattern is too intricate to decide within a fixed budget; no
     *     pattern that arises in practice comes near it
     */
    public boolean matchesEverything() {
        return LanguageAnalysis.matchesEveryFile(this, coveringAutomaton());
    }

    /** Whether some path is covered by both patterns; shorthand for {@link PatternOverlap#overlaps}. */
    public boolean overlaps(PathPattern other) {
        return PatternOverlap.overlaps(this, other);
    }

    ParsedPattern parsed() {
        return parsed;
    }

    /**
     * Adds this pattern's exact language ({@link #matchesExactly}) to a multi-pattern automaton under
     * {@code index}: the body, plus for a directory-only pattern everything below a matched directory.
     */
    void addTo(GlobNfa.Builder builder, int index) {
        int end = builder.path(GlobNfa.START, parsed.tokens());
        builder.accept(end, GlobNfa.acceptCode(index, parsed.directoryOnly()));
        if (parsed.directoryOnly()) {
            addBelow(builder, end, index);
        }
    }

    /**
     * Adds this pattern's covering language ({@link #covers}) under {@code index}: its exact language L and
     * everything below a path of L, L·/.*, which a directory-only pattern already has. Git asks the same of
     * each parent directory of a path (as a directory), and a path with something below it is a directory.
     */
    void addCoveringTo(GlobNfa.Builder builder, int index) {
        int end = builder.path(GlobNfa.START, parsed.tokens());
        builder.accept(end, GlobNfa.acceptCode(index, parsed.directoryOnly()));
        addBelow(builder, end, index);
    }

    private static void addBelow(GlobNfa.Builder builder, int end, int index) {
        int below = builder.path(end, List.of(Token.SLASH, Token.ANY_STAR));
        builder.accept(below, GlobNfa.acceptCode(index, false));
    }

    /** The NFA of this pattern alone; built on first use so that large pattern lists compile cheaply. */
    GlobNfa nfa() {
        GlobNfa n = nfa;
        if (n == null) {
            GlobNfa.Builder builder = new GlobNfa.Builder();
            addTo(builder, 0);
            n = builder.build();
            nfa = n;
        }
        return n;
    }

    /** The DFA of this pattern alone, for exact matching; built on first use. */
    LazyDfa automaton() {
        LazyDfa d = dfa;
        if (d == null) {
            d = new LazyDfa(nfa(), DFA_STATE_BUDGET, DFA_SUBSET_BUDGET);
            dfa = d;
        }
        return d;
    }

    /** The NFA of what this pattern covers, for overlap; built on first use. */
    GlobNfa coveringNfa() {
        GlobNfa n = coveringNfa;
        if (n == null) {
            GlobNfa.Builder builder = new GlobNfa.Builder();
            addCoveringTo(builder, 0);
            n = builder.build();
            coveringNfa = n;
        }
        return n;
    }

    /** The DFA of what this pattern covers; built on first use. */
    LazyDfa coveringAutomaton() {
        LazyDfa d = coveringDfa;
        if (d == null) {
            d = new LazyDfa(coveringNfa(), DFA_STATE_BUDGET, DFA_SUBSET_BUDGET);
            coveringDfa = d;
        }
        return d;
    }

    /** Equal when compiled from the same text with the same options. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PathPattern other && text.equals(other.text) && options.equals(other.options);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + options.hashCode();
    }

    @Override
    public String toString() {
        return options.caseInsensitive() ? text + " (case-insensitive)" : text;
    }

    /** Shorthand for {@link PatternOverlap#commonPath}. */
    public Optional<String> commonPath(PathPattern other) {
        return PatternOverlap.commonPath(this, other);
    }
}
