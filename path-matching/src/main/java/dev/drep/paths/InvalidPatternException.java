package dev.drep.paths;

/**
 * A pattern that cannot be compiled or is refused by a {@link PatternPolicy}. The message names the
 * pattern (shortened if very long), where it came from when known, and what to change.
 */
public final class InvalidPatternException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private static final int SHOWN_CHARACTERS = 120;

    private final String pattern;
    private final String problem;
    private final String source;
    private final int line;

    /**
     * @param pattern the offending pattern as given
     * @param problem what is wrong and what to do about it
     */
    public InvalidPatternException(String pattern, String problem) {
        this(pattern, problem, null, 0);
    }

    /**
     * @param pattern the offending pattern as given
     * @param problem what is wrong and what to do about it
     * @param source the file or list the pattern came from, or {@code null}
     * @param line the 1-based line or list position in {@code source}, or 0 when unknown
     */
    public InvalidPatternException(String pattern, String problem, String source, int line) {
        super(describe(pattern, problem, source, line));
        this.pattern = pattern;
        this.problem = problem;
        this.source = source;
        this.line = line;
    }

    /** The pattern as given, unshortened. */
    public String pattern() {
        return pattern;
    }

    /** What is wrong, without the pattern or its location. */
    public String problem() {
        return problem;
    }

    /** The file or list the pattern came from, or {@code null} when it was compiled on its own. */
    public String source() {
        return source;
    }

    /** The 1-based line in {@link #source()}, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The same problem, located at a line of a file or list. */
    InvalidPatternException at(String newSource, int newLine) {
        return new InvalidPatternException(pattern, problem, newSource, newLine);
    }

    private static String describe(String pattern, String problem, String source, int line) {
        String where = source == null ? "" : line > 0 ? source + ":" + line + ": " : source + ": ";
        return where + "invalid pattern " + quote(pattern) + ": " + problem;
    }

    private static String quote(String pattern) {
        if (pattern == null) {
            return "(null)";
        }
        String shown = pattern.length() <= SHOWN_CHARACTERS
                ? pattern
                : pattern.substring(0, SHOWN_CHARACTERS) + "... (" + pattern.length() + " characters)";
        return '"' + shown.replace("\0", "\\0") + '"';
    }
}
