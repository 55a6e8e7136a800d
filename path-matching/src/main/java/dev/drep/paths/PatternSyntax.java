package dev.drep.paths;

import java.util.ArrayList;
import java.util.List;

/**
 * Git's gitignore pattern syntax, reduced to {@link Token}s. This follows git's code ({@code dir.c}
 * {@code parse_path_pattern}, {@code match_basename}, {@code match_pathname} and {@code wildmatch.c}) rather
 * than only its documentation, because the two differ in one place: git compares the literal prefix of a
 * pattern before running wildmatch on the rest, so a {@code **} right after that prefix counts as
 * "at the start" and can cross directories ({@code a**}{@code /b} matches {@code ab} and {@code ax/y/b}).
 */
final class PatternSyntax {

    private PatternSyntax() {}

    /**
     * Parses one pattern line (without comment handling).
     *
     * @param allowNegation whether a leading {@code !} negates (ignore rules) or is refused (stand-alone patterns)
     * @throws InvalidPatternException naming the pattern and the problem
     */
    static ParsedPattern parse(String text, MatchOptions options, boolean allowNegation) {
        if (text == null) {
            throw new InvalidPatternException(null, "no pattern given");
        }
        if (text.length() > PathPattern.MAX_LENGTH) {
            throw new InvalidPatternException(text, "it is " + text.length() + " characters long; the limit is "
                    + PathPattern.MAX_LENGTH);
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw new InvalidPatternException(text, "it contains a NUL character at offset " + nul
                    + "; paths never contain NUL");
        }
        String line = trimTrailingSpaces(text);
        int from = 0;
        boolean negated = false;
        if (line.startsWith("!")) {
            if (!allowNegation) {
                throw new InvalidPatternException(text, "a leading '!' negates a pattern only in ignore rules;"
                        + " write \\! for a name that starts with '!'");
            }
            negated = true;
            from = 1;
        }
        int to = line.length();
        boolean directoryOnly = false;
        if (to > from && line.charAt(to - 1) == '/') {
            directoryOnly = true;
            to--;
        }
        String body = line.substring(from, to);
        if (body.isEmpty()) {
            throw new InvalidPatternException(text, "it is empty; give a path or glob such as src/** or *.py");
        }
        // As in git: only a slash decides between "last segment at any depth" and "whole relative path";
        // an escaped slash counts too.
        boolean basenameOnly = body.indexOf('/') < 0;
        int[] cps = body.codePoints().toArray();
        Tokenizer tokenizer = new Tokenizer(text, cps, options.caseInsensitive());
        if (basenameOnly) {
            tokenizer.tokens.add(Token.DIRECTORIES);
            tokenizer.wild(0, 0);
        } else {
            int i = cps[0] == '/' ? 1 : 0;
            while (i < cps.length && !isGlobSpecial(cps[i])) {
                tokenizer.tokens.add(literal(cps[i], options.caseInsensitive()));
                i++;
            }
            tokenizer.wild(i, i);
        }
        if (tokenizer.doubleStars > PathPattern.MAX_DOUBLE_STARS) {
            throw new InvalidPatternException(text, "it has " + tokenizer.doubleStars + " '**'; the limit is "
                    + PathPattern.MAX_DOUBLE_STARS);
        }
        if (tokenizer.tokens.isEmpty() && !allowNegation) {
            throw new InvalidPatternException(text, "it names no path (only slashes)");
        }
        return new ParsedPattern(negated, directoryOnly, basenameOnly, List.copyOf(tokenizer.tokens));
    }

    /** Steps that match {@code text} literally; used for the directory of a nested .gitignore. */
    static List<Token> literalTokens(String text, MatchOptions options) {
        List<Token> tokens = new ArrayList<>();
        text.codePoints().forEach(cp -> tokens.add(literal(cp, options.caseInsensitive())));
        return tokens;
    }

    /**
     * Git's {@code trim_trailing_spaces}: drops trailing spaces (not tabs) unless the first of them is
     * escaped by a backslash; a backslash at the very end stops trimming.
     */
    static String trimTrailingSpaces(String line) {
        int lastSpace = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                if (lastSpace < 0) {
                    lastSpace = i;
                }
            } else if (c == '\\') {
                i++;
                if (i >= line.length()) {
                    return line;
                }
                lastSpace = -1;
            } else {
                lastSpace = -1;
            }
        }
        return lastSpace < 0 ? line : line.substring(0, lastSpace);
    }

    private static boolean isGlobSpecial(int c) {
        return c == '*' || c == '?' || c == '[' || c == '\\';
    }

    static Token literal(int cp, boolean caseInsensitive) {
        if (cp < 128) {
            return caseInsensitive ? FoldedAsciiTokens.TOKENS[cp] : AsciiTokens.TOKENS[cp];
        }
        CharSet set = CharSet.of(cp);
        return Token.chars(caseInsensitive ? CaseFolding.widen(set) : set);
    }

    /** Literal tokens for ASCII, shared because nearly every pattern character is one. */
    private static final class AsciiTokens {
        static final Token[] TOKENS = new Token[128];

        static {
            for (int c = 0; c < 128; c++) {
                TOKENS[c] = Token.chars(CharSet.of(c));
            }
        }
    }

    /** As {@link AsciiTokens}, case-insensitive; separate so that case-sensitive use never builds the folding table. */
    private static final class FoldedAsciiTokens {
        static final Token[] TOKENS = new Token[128];

        static {
            for (int c = 0; c < 128; c++) {
                TOKENS[c] = Token.chars(CaseFolding.widen(CharSet.of(c)));
            }
        }
    }

    /** Wildmatch tokenization of one pattern body. */
    private static final class Tokenizer {
        private final String text;
        private final int[] p;
        private final boolean caseInsensitive;
        final List<Token> tokens = new ArrayList<>();
        int doubleStars;

        Tokenizer(String text, int[] p, boolean caseInsensitive) {
            this.text = text;
            this.p = p;
            this.caseInsensitive = caseInsensitive;
        }

        /**
         * @param i where to start reading
         * @param wildStart where git's wildmatch sees the pattern start, which decides whether a {@code **}
         *     is "leading"
         */
        void wild(int i, int wildStart) {
            int n = p.length;
            while (i < n) {
                int c = p[i];
                switch (c) {
                    case '\\' -> {
                        if (i + 1 >= n) {
                            throw new InvalidPatternException(text, "it ends with an unpaired backslash, which"
                                    + " git treats as never matching; write \\\\ for a literal backslash");
                        }
                        tokens.add(literal(p[i + 1], caseInsensitive));
                        i += 2;
                    }
                    case '?' -> {
                        tokens.add(Token.chars(CharSet.NON_SLASH));
                        i++;
                    }
                    case '[' -> i = bracket(i);
                    case '*' -> i = stars(i, wildStart);
                    default -> {
                        tokens.add(literal(c, caseInsensitive));
                        i++;
                    }
                }
            }
        }

        private int stars(int i, int wildStart) {
            int n = p.length;
            int j = i;
            while (j < n && p[j] == '*') {
                j++;
            }
            if (j - i < 2) {
                tokens.add(Token.STAR);
                return j;
            }
            doubleStars++;
            boolean leading = i == wildStart || p[i - 1] == '/';
            if (leading && j == n) {
                tokens.add(Token.ANY_STAR);
                return j;
            }
            if (leading && p[j] == '/') {
                tokens.add(Token.DIRECTORIES);
                return j + 1;
            }
            if (leading && p[j] == '\\' && j + 1 < n && p[j + 1] == '/') {
                // Git lets "**" before an escaped slash cross directories but skips its "zero directories"
                // shortcut, so this is Σ* followed by a literal slash.
                tokens.add(Token.ANY_STAR);
                return j;
            }
            tokens.add(Token.STAR);
            return j;
        }

        /** A bracket expression, read exactly as git's wildmatch reads it. */
        private int bracket(int open) {
            int n = p.length;
            int j = open + 1;
            boolean negated = false;
            if (j < n && (p[j] == '!' || p[j] == '^')) {
                negated = true;
                j++;
            }
            CharSet.Builder members = new CharSet.Builder();
            int previous = -1;
            boolean first = true;
            while (true) {
                if (j >= n) {
                    throw unclosed(open);
                }
                int c = p[j];
                if (c == ']' && !first) {
                    j++;
                    break;
                }
                first = false;
                if (c == '\\') {
                    if (++j >= n) {
                        throw unclosed(open);
                    }
                    members.add(p[j]);
                    previous = p[j];
                    j++;
                } else if (c == '-' && previous >= 0 && j + 1 < n && p[j + 1] != ']') {
                    j++;
                    int hi = p[j];
                    if (hi == '\\') {
                        if (++j >= n) {
                            throw unclosed(open);
                        }
                        hi = p[j];
                    }
                    // A reversed range matches nothing, as in git.
                    members.add(previous, hi);
                    previous = -1;
                    j++;
                } else if (c == '[' && j + 1 < n && p[j + 1] == ':') {
                    int nameStart = j + 2;
                    int close = nameStart;
                    while (close < n && p[close] != ']') {
                        close++;
                    }
                    if (close >= n) {
                        throw unclosed(open);
                    }
                    if (close - nameStart - 1 < 0 || p[close - 1] != ':') {
                        // No ":]": git reads the '[' as an ordinary member and goes on from the ':'.
                        members.add('[');
                        previous = '[';
                        j++;
                        continue;
                    }
                    String name = new String(p, nameStart, close - 1 - nameStart);
                    members.addAll(posixClass(name));
                    previous = -1;
                    j = close + 1;
                } else {
                    members.add(c);
                    previous = c;
                    j++;
                }
            }
            CharSet set = members.build();
            if (caseInsensitive) {
                set = CaseFolding.widen(set);
            }
            if (negated) {
                set = set.complement();
            }
            tokens.add(Token.chars(set.minus('/')));
            return j;
        }

        private InvalidPatternException unclosed(int open) {
            return new InvalidPatternException(text, "the '[' at character " + (open + 1) + " is never closed, so"
                    + " git would never match it; write \\[ for a literal bracket");
        }

        /** The ASCII classes of git's own ctype table (it ignores the C locale). */
        private CharSet posixClass(String name) {
            CharSet.Builder b = new CharSet.Builder();
            switch (name) {
                case "alnum" -> b.add('0', '9').add('A', 'Z').add('a', 'z');
                case "alpha" -> b.add('A', 'Z').add('a', 'z');
                case "blank" -> b.add(' ').add('\t');
                case "cntrl" -> b.add(0, 0x1F).add(0x7F);
                case "digit" -> b.add('0', '9');
                case "graph" -> b.add(0x21, 0x7E);
                case "lower" -> b.add('a', 'z');
                case "print" -> b.add(0x20, 0x7E);
                case "punct" -> b.add(0x21, 0x2F).add(0x3A, 0x40).add(0x5B, 0x60).add(0x7B, 0x7E);
                case "space" -> b.add('\t').add('\n').add('\r').add(' ');
                case "upper" -> b.add('A', 'Z');
                case "xdigit" -> b.add('0', '9').add('A', 'F').add('a', 'f');
                default -> throw new InvalidPatternException(text, "unknown character class [:" + name + ":];"
                        + " known are alnum, alpha, blank, cntrl, digit, graph, lower, print, punct, space,"
                        + " upper, xdigit");
            }
            return b.build();
        }
    }
}
