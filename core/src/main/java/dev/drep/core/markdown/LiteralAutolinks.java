package dev.drep.core.markdown;

/**
 * GitHub's autolink literals, which markdownlint's bare-URL rule (MD034) reports: {@code http://} and
 * {@code https://} URLs, {@code www.} domains and e-mail addresses written as plain text. This follows the
 * GFM autolink-literal grammar as micromark implements it (the parser markdownlint uses): what may precede
 * each kind, what makes a valid domain (no {@code _} in its last two segments), and where the trailing
 * punctuation of a sentence ends a URL.
 *
 * <p>Positions are {@code char} indices into the text; {@code previous} is the character before the start,
 * or {@code -1} at the start of a block (a line break is {@code '\n'}).
 */
final class LiteralAutolinks {
    private LiteralAutolinks() {
    }

    /** @return the end (exclusive) of the autolink literal starting at {@code i}, or -1 when none starts there */
    static int match(CharSequence s, int i, int end, int previous) {
        char c = s.charAt(i);
        if (isAtext(c) && previousAllowsEmail(previous)) {
            int email = email(s, i, end);
            if (email >= 0) {
                return email;
            }
        }
        if ((c == 'h' || c == 'H') && !isAsciiAlpha(previous)) {
            return protocol(s, i, end);
        }
        if ((c == 'w' || c == 'W') && previousAllowsWww(previous)) {
            return www(s, i, end);
        }
        return -1;
    }

    /** @return true when a literal of some kind could start with {@code c}: the cheap test before {@link #match} */
    static boolean canStart(char c) {
        return isAtext(c);
    }

    private static int protocol(CharSequence s, int i, int end) {
        int p = i;
        while (p < end && p - i < 5 && isAsciiAlpha(s.charAt(p))) {
            p++;
        }
        if (p >= end || s.charAt(p) != ':') {
            return -1;
        }
        int letters = p - i;
        boolean http = letters == 4 && regionIgnoringCase(s, i, "http");
        boolean https = letters == 5 && regionIgnoringCase(s, i, "https");
        if (!http && !https) {
            return -1;
        }
        p++;
        if (p + 1 >= end || s.charAt(p) != '/' || s.charAt(p + 1) != '/') {
            return -1;
        }
        p += 2;
        if (p >= end) {
            return -1;
        }
        int cp = Character.codePointAt(s, p);
        if (cp < 32 || cp == 127 || isWhitespace(cp) || isUnicodePunctuation(cp)) {
            return -1;
        }
        int domainEnd = domain(s, p, end);
        return domainEnd < 0 ? -1 : path(s, domainEnd, end);
    }

    private static int www(CharSequence s, int i, int end) {
        if (i + 4 >= end || !regionIgnoringCase(s, i, "www.")) {
            return -1;
        }
        int domainEnd = domain(s, i, end);
        return domainEnd < 0 ? -1 : path(s, domainEnd, end);
    }

    /** The domain starting at {@code p}: its end, or -1 when it is empty or has {@code _} in its last two segments. */
    private static int domain(CharSequence s, int p, int end) {
        boolean seen = false;
        boolean underscoreInLast = false;
        boolean underscoreInLastButOne = false;
        while (p < end) {
            char c = s.charAt(p);
            if (c == '.' || c == '_') {
                if (isTrail(s, p, end)) {
                    break;
                }
                if (c == '_') {
                    underscoreInLast = true;
                } else {
                    underscoreInLastButOne = underscoreInLast;
                    underscoreInLast = false;
                }
                p++;
                continue;
            }
            int cp = Character.codePointAt(s, p);
            if (isWhitespace(cp) || (c != '-' && isUnicodePunctuation(cp))) {
                break;
            }
            seen = true;
            p += Character.charCount(cp);
        }
        return underscoreInLast || underscoreInLastButOne || !seen ? -1 : p;
    }

    /** The path after a domain: up to whitespace, less trailing punctuation and unbalanced closing parentheses. */
    private static int path(CharSequence s, int p, int end) {
        int open = 0;
        int close = 0;
        while (p < end) {
            char c = s.charAt(p);
            if (c == '(') {
                open++;
                p++;
                continue;
            }
            if (c == ')' && close < open) {
                close++;
                p++;
                continue;
            }
            if ("!\"&')*,.:;<?]_~".indexOf(c) >= 0) {
                if (isTrail(s, p, end)) {
                    return p;
                }
                if (c == ')') {
                    close++;
                }
                p++;
                continue;
            }
            if (isWhitespace(c)) {
                return p;
            }
            p++;
        }
        return p;
    }

    /** True when the characters from {@code p} on are trailing punctuation up to whitespace, {@code <} or the end. */
    private static boolean isTrail(CharSequence s, int p, int end) {
        while (p < end) {
            char c = s.charAt(p);
            if ("!\"')*,.:;?_~".indexOf(c) >= 0) {
                p++;
            } else if (c == '&') {
                int q = p + 1;
                if (q >= end || !isAsciiAlpha(s.charAt(q))) {
                    return false;
                }
                while (q < end && isAsciiAlpha(s.charAt(q))) {
                    q++;
                }
                if (q >= end || s.charAt(q) != ';') {
                    return false;
                }
                p = q + 1;
            } else if (c == ']') {
                p++;
                if (p >= end || s.charAt(p) == '(' || s.charAt(p) == '[' || isWhitespace(s.charAt(p))) {
                    return true;
                }
            } else {
                return c == '<' || isWhitespace(c);
            }
        }
        return true;
    }

    private static int email(CharSequence s, int i, int end) {
        int p = i;
        while (p < end && isAtext(s.charAt(p))) {
            p++;
        }
        if (p >= end || s.charAt(p) != '@') {
            return -1;
        }
        p++;
        boolean data = false;
        boolean dot = false;
        char last = '@';
        while (p < end) {
            char c = s.charAt(p);
            if (c == '.') {
                if (p + 1 < end && isAsciiAlphanumeric(s.charAt(p + 1))) {
                    dot = true;
                    last = c;
                    p++;
                    continue;
                }
                break;
            }
            if (c == '-' || c == '_' || isAsciiAlphanumeric(c)) {
                data = true;
                last = c;
                p++;
                continue;
            }
            break;
        }
        return data && dot && isAsciiAlpha(last) ? p : -1;
    }

    private static boolean previousAllowsWww(int previous) {
        return previous < 0 || previous == '(' || previous == '*' || previous == '_' || previous == '['
                || previous == ']' || previous == '~' || previous == ' ' || previous == '\t' || previous == '\n'
                || previous == '\r';
    }

    private static boolean previousAllowsEmail(int previous) {
        return !(previous == '/' || (previous >= 0 && previous < 128 && isAtext((char) previous)));
    }

    private static boolean isAtext(char c) {
        return c == '+' || c == '-' || c == '.' || c == '_' || isAsciiAlphanumeric(c);
    }

    private static boolean isAsciiAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return isAsciiAlpha(c) || (c >= '0' && c <= '9');
    }

    private static boolean regionIgnoringCase(CharSequence s, int from, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            if (Character.toLowerCase(s.charAt(from + k)) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** JavaScript's {@code \s}: what micromark counts as whitespace. */
    static boolean isWhitespace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A)
                || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
    }

    /** Unicode punctuation or symbol ({@code \p{P}|\p{S}}), micromark's notion of punctuation. */
    private static boolean isUnicodePunctuation(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL,
                    Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }
}
