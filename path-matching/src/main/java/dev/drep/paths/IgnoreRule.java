package dev.drep.paths;

/**
 * One rule of an ignore list, as git's {@code check-ignore -v} reports it.
 *
 * @param source where the rule came from: {@code .gitignore}, {@code pkg/.gitignore}, a configuration name
 * @param line its 1-based line (or list position) in {@code source}
 * @param text the pattern line with trailing spaces trimmed, including any {@code !} and trailing slash
 * @param negated whether the rule re-includes ({@code !}) rather than excludes
 * @param directoryOnly whether it matches directories only (trailing slash)
 * @param baseDirectory the directory its patterns are relative to; empty for the repository root
 */
public record IgnoreRule(
        String source, int line, String text, boolean negated, boolean directoryOnly, String baseDirectory) {}
