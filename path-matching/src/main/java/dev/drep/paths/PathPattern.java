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
 * <p>What a pattern matches: a pattern without a slash matches the last segment at any depth ({@code *.py}
 * matches {@code a/b/c.py}); a pattern with a slash matches the whole path ({@code src/*.py} matches
 * {@code src/app.py}, not {@code lib/src/app.py}). A directory-only pattern ({@code build/}) matches the
 * directory and every path below it; other patterns match only paths they describe themselves, so
 * {@code a/*} matches the file or directory {@code a/b} but not {@code a/b/c}. (Ignore rules go further:
 * git ignores everything below an ignored directory whatever the pattern; see {@link IgnoreRules}.)
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
     * Whether the pattern matches {@code path}, a file unless written with a trailing slash.
     *
     * @param path relative to the repository root; {@code \} and {@code /} both separate directories
     */
    public boolean matches(String path) {
        return matches(path, RepositoryPath.namesDirectory(path));
    }

    /**
     * Whether the pattern matches {@code path}.
     *
     * @param path relative to the repository root; {@code \} and {@code /} both separate directories
     * @param isDirectory whether the path is a directory, which only directory-only patterns care about
     */
    public boolean matches(String path, boolean isDirectory) {
        String normal = RepositoryPath.normalize(path);
        if (normal.isEmpty()) {
            return false;
        }
        LazyDfa.State end = automaton().run(normal);
        return (isDirectory ? end.dirMatches : end.fileMatches).length > 0;
    }

    /**
     * Whether every file path matches, as {@code *}, {@code **} and {@code **}{@code /*} do. Decided exactly on
     * the automaton (is there a valid path it rejects?), not by comparing text.
     *
     * @throws InvalidPatternException if the pattern is too intricate to decide within a fixed budget; no
     *     pattern that arises in practice comes near it
     */
    public boolean matchesEverything() {
        return LanguageAnalysis.matchesEveryFile(this, automaton());
    }

    /** Whether some path matches both patterns; shorthand for {@link PatternOverlap#overlaps}. */
    public boolean overlaps(PathPattern other) {
        return PatternOverlap.overlaps(this, other);
    }

    ParsedPattern parsed() {
        return parsed;
    }

    /**
     * Adds this pattern's language to a multi-pattern automaton under {@code index}: the body, plus for a
     * directory-only pattern everything below a matched directory.
     */
    void addTo(GlobNfa.Builder builder, int index) {
        int end = builder.path(GlobNfa.START, parsed.tokens());
        if (parsed.directoryOnly()) {
            builder.accept(end, GlobNfa.acceptCode(index, true));
            int below = builder.path(end, List.of(Token.SLASH, Token.ANY_STAR));
            builder.accept(below, GlobNfa.acceptCode(index, false));
        } else {
            builder.accept(end, GlobNfa.acceptCode(index, false));
        }
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

    /** The DFA of this pattern alone, for matching; built on first use. */
    LazyDfa automaton() {
        LazyDfa d = dfa;
        if (d == null) {
            d = new LazyDfa(nfa(), DFA_STATE_BUDGET, DFA_SUBSET_BUDGET);
            dfa = d;
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
