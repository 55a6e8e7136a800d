package dev.drep.scanner.reservation;

import dev.drep.paths.PathPattern;

/**
 * A validated pattern of a reserve request.
 *
 * @param text       canonical text, as stored
 * @param compiled   its matcher
 * @param singlePath whether it names exactly one path (a slash inside, no glob character, no trailing slash):
 *                   then overlap is answered from the reservations' DFA
 *                   ({@link dev.drep.paths.PatternSet#overlappingPath}) and that path, when the other
 *                   pattern covers it, is the example of a conflict
 */
public record CandidatePattern(String text, PathPattern compiled, boolean singlePath) {

    /** @return whether {@code canonical} names exactly one path, such as {@code src/app.py} */
    public static boolean isSinglePath(String canonical) {
        if (canonical.isEmpty() || canonical.endsWith("/")) {
            return false;
        }
        // Without a slash a pattern matches its name at any depth: many paths.
        if (canonical.indexOf('/') < 0) {
            return false;
        }
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
