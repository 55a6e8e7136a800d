package dev.drep.paths;

/**
 * How patterns compare characters.
 *
 * @param caseInsensitive match letters regardless of case (like git's {@code core.ignoreCase}), using
 *     Java's simple Unicode case mapping rather than git's ASCII-only folding
 */
public record MatchOptions(boolean caseInsensitive) {

    /** Exact, case-sensitive matching: git's default on Linux. */
    public static final MatchOptions CASE_SENSITIVE = new MatchOptions(false);

    /** Case-insensitive matching, as for repositories checked out on macOS or Windows file systems. */
    public static final MatchOptions CASE_INSENSITIVE = new MatchOptions(true);
}
