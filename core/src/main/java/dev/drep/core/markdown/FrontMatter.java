package dev.drep.core.markdown;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Front matter at the very start of a file, recognised as markdownlint recognises it: YAML between
 * {@code ---} lines, TOML between {@code +++} lines (closed by {@code +++} or {@code ...}), or JSON between a
 * {@code {} line and a {@code }} line. Its lines are metadata, not markdown: no rule looks at them.
 */
final class FrontMatter {
    // markdownlint's pattern (helpers.frontMatterRe), anchored at the start of the file.
    private static final Pattern FRONT_MATTER = Pattern.compile(
            "((^---[^\\S\\r\\n\\u2028\\u2029]*$[\\s\\S]+?^---\\s*)"
                    + "|(^\\+\\+\\+[^\\S\\r\\n\\u2028\\u2029]*$[\\s\\S]+?^(\\+\\+\\+|\\.\\.\\.)\\s*)"
                    + "|(^\\{[^\\S\\r\\n\\u2028\\u2029]*$[\\s\\S]+?^\\}\\s*))(\\r\\n|\\r|\\n|$)",
            Pattern.MULTILINE);

    private FrontMatter() {
    }

    /**
     * @param text the file's text
     * @param from where the file's text starts (after a byte order mark)
     * @return the index just after the front matter (its final line break included), or {@code from} when
     *     the file has none
     */
    static int end(String text, int from) {
        if (from >= text.length()) {
            return from;
        }
        char first = text.charAt(from);
        if (first != '-' && first != '+' && first != '{') {
            return from;
        }
        Matcher matcher = FRONT_MATTER.matcher(text);
        matcher.region(from, text.length());
        matcher.useAnchoringBounds(true);
        return matcher.lookingAt() ? matcher.end() : from;
    }
}
