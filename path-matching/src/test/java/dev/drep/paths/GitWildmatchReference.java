package dev.drep.paths;

/**
 * A line-by-line transcription of git's backtracking matcher ({@code wildmatch.c} {@code dowild}) and of the
 * per-pattern logic of {@code dir.c} ({@code match_basename}, {@code match_pathname}), case-sensitive only.
 * Exponential in the worst case, which is why the product code uses automata; here it is an independent
 * second opinion on small inputs, next to git itself.
 */
final class GitWildmatchReference {

    private static final int MATCH = 0;
    private static final int NO_MATCH = 1;
    private static final int ABORT_ALL = -1;
    private static final int ABORT_TO_STARSTAR = -2;

    private GitWildmatchReference() {}

    /**
     * Whether one gitignore pattern line (already without comments) matches {@code path} directly, i.e. as
     * git's {@code last_matching_pattern_from_list} tests it, ignoring negation.
     */
    static boolean matchesDirectly(String line, String path, boolean isDirectory) {
        String p = PatternSyntax.trimTrailingSpaces(line);
        if (p.startsWith("!")) {
            p = p.substring(1);
        }
        boolean mustBeDir = false;
        if (!p.isEmpty() && p.endsWith("/")) {
            mustBeDir = true;
            p = p.substring(0, p.length() - 1);
        }
        if (mustBeDir && !isDirectory) {
            return false;
        }
        if (p.indexOf('/') < 0) {
            String basename = path.substring(path.lastIndexOf('/') + 1);
            return wildmatch(p, basename, false);
        }
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        int prefix = simpleLength(p);
        if (prefix > 0) {
            if (prefix > path.length() || !path.startsWith(p.substring(0, prefix))) {
                return false;
            }
            if (prefix == p.length() && prefix == path.length()) {
                return true;
            }
            return wildmatch(p.substring(prefix), path.substring(prefix), true);
        }
        return wildmatch(p, path, true);
    }

    private static int simpleLength(String p) {
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                return i;
            }
        }
        return p.length();
    }

    static boolean wildmatch(String pattern, String text, boolean pathname) {
        return dowild(pattern.codePoints().toArray(), 0, text.codePoints().toArray(), 0, pathname) == MATCH;
    }

    private static int at(int[] a, int i) {
        return i < a.length ? a[i] : 0;
    }

    private static boolean isGlobSpecial(int c) {
        return c == '*' || c == '?' || c == '[' || c == '\\';
    }

    private static int dowild(int[] p, int pi, int[] t, int ti, boolean pathname) {
        int patternStart = pi;
        for (; at(p, pi) != 0; ti++, pi++) {
            int pch = p[pi];
            int tch = at(t, ti);
            if (tch == 0 && pch != '*') {
                return ABORT_ALL;
            }
            switch (pch) {
                case '\\' -> {
                    pi++;
                    pch = at(p, pi);
                    if (tch != pch) {
                        return NO_MATCH;
                    }
                }
                case '?' -> {
                    if (pathname && tch == '/') {
                        return NO_MATCH;
                    }
                }
                case '*' -> {
                    boolean matchSlash;
                    if (at(p, ++pi) == '*') {
                        int prev = pi - 2;
                        while (at(p, ++pi) == '*') {
                            // skip the whole run
                        }
                        int next = at(p, pi);
                        if ((prev < patternStart || p[prev] == '/')
                                && (next == 0 || next == '/' || (next == '\\' && at(p, pi + 1) == '/'))) {
                            if (next == '/' && dowild(p, pi + 1, t, ti, pathname) == MATCH) {
                                return MATCH;
                            }
                            matchSlash = true;
                        } else {
                            matchSlash = false;
                        }
                    } else {
                        matchSlash = !pathname;
                    }
                    if (at(p, pi) == 0) {
                        if (!matchSlash) {
                            for (int k = ti; k < t.length; k++) {
                                if (t[k] == '/') {
                                    return NO_MATCH;
                                }
                            }
                        }
                        return MATCH;
                    } else if (!matchSlash && p[pi] == '/') {
                        int slash = -1;
                        for (int k = ti; k < t.length; k++) {
                            if (t[k] == '/') {
                                slash = k;
                                break;
                            }
                        }
                        if (slash < 0) {
                            return NO_MATCH;
                        }
                        ti = slash;
                        continue;
                    }
                    while (true) {
                        if (tch == 0) {
                            break;
                        }
                        if (!isGlobSpecial(p[pi])) {
                            int literal = p[pi];
                            while ((tch = at(t, ti)) != 0 && (matchSlash || tch != '/')) {
                                if (tch == literal) {
                                    break;
                                }
                                ti++;
                            }
                            if (tch != literal) {
                                return NO_MATCH;
                            }
                        }
                        int matched = dowild(p, pi, t, ti, pathname);
                        if (matched != NO_MATCH) {
                            if (!matchSlash || matched != ABORT_TO_STARSTAR) {
                                return matched;
                            }
                        } else if (!matchSlash && tch == '/') {
                            return ABORT_TO_STARSTAR;
                        }
                        tch = at(t, ++ti);
                    }
                    return ABORT_ALL;
                }
                case '[' -> {
                    int r = bracket(p, pi, tch, pathname);
                    if (r < 0) {
                        return r == -1 ? ABORT_ALL : NO_MATCH;
                    }
                    pi = r;
                }
                default -> {
                    if (tch != pch) {
                        return NO_MATCH;
                    }
                }
            }
        }
        return at(t, ti) != 0 ? NO_MATCH : MATCH;
    }

    /** Returns the index of the closing bracket when {@code tch} matches, -1 to abort, -2 for no match. */
    private static int bracket(int[] p, int pi, int tch, boolean pathname) {
        int pc = at(p, ++pi);
        if (pc == '^') {
            pc = '!';
        }
        boolean negated = pc == '!';
        if (negated) {
            pc = at(p, ++pi);
        }
        int prev = 0;
        boolean matched = false;
        while (true) {
            if (pc == 0) {
                return -1;
            }
            if (pc == '\\') {
                pc = at(p, ++pi);
                if (pc == 0) {
                    return -1;
                }
                if (tch == pc) {
                    matched = true;
                }
            } else if (pc == '-' && prev != 0 && at(p, pi + 1) != 0 && at(p, pi + 1) != ']') {
                pc = at(p, ++pi);
                if (pc == '\\') {
                    pc = at(p, ++pi);
                    if (pc == 0) {
                        return -1;
                    }
                }
                if (tch <= pc && tch >= prev) {
                    matched = true;
                }
                pc = 0;
            } else if (pc == '[' && at(p, pi + 1) == ':') {
                int s = pi + 2;
                int q = s;
                while (at(p, q) != 0 && at(p, q) != ']') {
                    q++;
                }
                if (at(p, q) == 0) {
                    return -1;
                }
                if (q - s - 1 < 0 || p[q - 1] != ':') {
                    pi = s - 2;
                    pc = '[';
                    if (tch == pc) {
                        matched = true;
                    }
                } else {
                    String name = new String(p, s, q - 1 - s);
                    Boolean in = posix(name, tch);
                    if (in == null) {
                        return -1;
                    }
                    matched |= in;
                    pi = q;
                    pc = 0;
                }
            } else if (tch == pc) {
                matched = true;
            }
            prev = pc;
            pc = at(p, ++pi);
            if (pc == ']') {
                break;
            }
        }
        if (matched == negated || (pathname && tch == '/')) {
            return -2;
        }
        return pi;
    }

    private static Boolean posix(String name, int c) {
        boolean upper = c >= 'A' && c <= 'Z';
        boolean lower = c >= 'a' && c <= 'z';
        boolean digit = c >= '0' && c <= '9';
        boolean print = c >= 0x20 && c <= 0x7E;
        boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        return switch (name) {
            case "alnum" -> upper || lower || digit;
            case "alpha" -> upper || lower;
            case "blank" -> c == ' ' || c == '\t';
            case "cntrl" -> c < 0x20 || c == 0x7F;
            case "digit" -> digit;
            case "graph" -> print && c != ' ';
            case "lower" -> lower;
            case "print" -> print;
            case "punct" -> print && c != ' ' && !upper && !lower && !digit;
            case "space" -> space;
            case "upper" -> upper;
            case "xdigit" -> digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            default -> null;
        };
    }
}
