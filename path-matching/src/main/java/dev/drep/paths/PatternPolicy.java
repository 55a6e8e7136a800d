package dev.drep.paths;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the reservation API accepts as path patterns, beyond being valid gitignore syntax: a non-empty list
 * of patterns relative to the repository root, without {@code ..}, {@code .} or empty segments, without
 * Windows separators, within a length limit, and (unless allowed) not matching every path.
 *
 * @param options how the accepted patterns compare characters
 * @param maxLength the longest pattern accepted, at most {@link PathPattern#MAX_LENGTH}
 * @param allowMatchEverything whether patterns such as {@code *} or {@code **} that match every path are
 *     accepted (a whole-repository reservation)
 */
public record PatternPolicy(MatchOptions options, int maxLength, boolean allowMatchEverything) {

    /** The reservation defaults: case-sensitive, up to 4096 characters, no whole-repository patterns. */
    public static final PatternPolicy RESERVATIONS =
            new PatternPolicy(MatchOptions.CASE_SENSITIVE, PathPattern.MAX_LENGTH, false);

    /** Checks the limits. */
    public PatternPolicy {
        Objects.requireNonNull(options, "options");
        if (maxLength < 1 || maxLength > PathPattern.MAX_LENGTH) {
            throw new IllegalArgumentException("maxLength must be between 1 and " + PathPattern.MAX_LENGTH
                    + ", was " + maxLength);
        }
    }

    /** This policy, but accepting patterns that match every path. */
    public PatternPolicy allowingMatchEverything() {
        return new PatternPolicy(options, maxLength, true);
    }

    /**
     * Validates and compiles a list of patterns.
     *
     * @return the compiled patterns in the given order
     * @throws InvalidPatternException for the list being empty or for its first unacceptable pattern, naming
     *     the pattern, its 1-based position and what to write instead
     */
    public List<PathPattern> validate(List<String> patterns) {
        if (patterns == null || patterns.isEmpty()) {
            throw new InvalidPatternException("", "no patterns were given; name at least one path or glob such as"
                    + " src/app.py or docs/**", "patterns", 0);
        }
        List<PathPattern> compiled = new ArrayList<>(patterns.size());
        for (int i = 0; i < patterns.size(); i++) {
            try {
                compiled.add(validate(patterns.get(i)));
            } catch (InvalidPatternException e) {
                throw e.at("patterns", i + 1);
            }
        }
        return List.copyOf(compiled);
    }

    /**
     * Validates and compiles one pattern.
     *
     * @throws InvalidPatternException naming the pattern and what to write instead
     */
    public PathPattern validate(String pattern) {
        if (pattern == null) {
            throw new InvalidPatternException(null, "no pattern given");
        }
        if (pattern.length() > maxLength) {
            throw new InvalidPatternException(pattern, "it is " + pattern.length() + " characters long; the limit is "
                    + maxLength);
        }
        if (pattern.isBlank()) {
            throw new InvalidPatternException(pattern, "it is empty; give a path or glob such as src/** or *.py");
        }
        if (pattern.indexOf('\0') >= 0) {
            throw new InvalidPatternException(pattern, "it contains a NUL character; paths never contain NUL");
        }
        if (isAbsolute(pattern)) {
            throw new InvalidPatternException(pattern, "it is an absolute path; patterns are relative to the"
                    + " repository root, e.g. src/** rather than /src/** or C:\\repo\\src");
        }
        if (pattern.startsWith("~")) {
            throw new InvalidPatternException(pattern, "it starts with '~', a home directory; patterns are relative"
                    + " to the repository root");
        }
        checkBackslashes(pattern);
        checkSegments(pattern);
        PathPattern compiled = PathPattern.compile(pattern, options);
        if (!allowMatchEverything && compiled.matchesEverything()) {
            throw new InvalidPatternException(pattern, "it matches every path in the repository; name the"
                    + " directories or files you need, or ask explicitly for a whole-repository reservation");
        }
        return compiled;
    }

    private static boolean isAbsolute(String pattern) {
        if (pattern.startsWith("/") || pattern.startsWith("\\")) {
            return true;
        }
        return pattern.length() >= 2 && Character.isLetter(pattern.charAt(0)) && pattern.charAt(0) < 128
                && pattern.charAt(1) == ':' && (pattern.length() == 2 || pattern.charAt(2) == '/'
                        || pattern.charAt(2) == '\\');
    }

    /**
     * A backslash before a letter, digit or one of {@code . _ -} escapes nothing in a glob; it is almost
     * certainly a Windows separator, which would silently glue two names together.
     */
    private static void checkBackslashes(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '\\') {
                if (i + 1 < pattern.length()) {
                    char next = pattern.charAt(i + 1);
                    if (Character.isLetterOrDigit(next) || next == '.' || next == '_' || next == '-') {
                        throw new InvalidPatternException(pattern, "the backslash at character " + (i + 1)
                                + " escapes '" + next + "'; use '/' to separate directories (a backslash in a"
                                + " pattern only escapes a special character such as \\* or \\[)");
                    }
                }
                i++;
            }
        }
    }

    private static void checkSegments(String pattern) {
        String[] segments = pattern.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals("..")) {
                throw new InvalidPatternException(pattern, "it has a '..' segment; patterns cannot leave the"
                        + " repository and paths never contain '..'");
            }
            if (segment.equals(".")) {
                throw new InvalidPatternException(pattern, "it has a '.' segment, which paths never contain;"
                        + " drop it (src/** rather than ./src/**)");
            }
            if (segment.isEmpty() && !last) {
                throw new InvalidPatternException(pattern, "it has an empty segment ('//'), which paths never"
                        + " contain");
            }
        }
    }
}
