package dev.drep.core.markdown;

/**
 * Hides the text of HTML comments from the line rules, as markdownlint does before its rules see the lines:
 * every character of a comment's content other than a space or a line break becomes {@code .}, and so do
 * spaces that end a line inside the comment. Lengths, columns and line breaks stay as they were, so
 * a long comment line is still long, but a tab, a trailing space or a {@code #} inside a comment is not
 * reported.
 *
 * <p>Like markdownlint, this works on the raw text (a comment inside a code span or a fence is hidden too)
 * and leaves alone what CommonMark would not take for a comment inside a line: content starting with
 * {@code >} or {@code ->}, ending with {@code -} or containing {@code --}, and a comment that starts after
 * a table's {@code |} and spans lines. An unterminated {@code <!--} is text.
 */
final class HtmlComments {
    private static final String BEGIN = "<!--";
    private static final String END = "-->";

    private HtmlComments() {
    }

    /** @return {@code text} with the content of its comments hidden; {@code text} itself when it has none */
    static String clear(String text) {
        int i = text.indexOf(BEGIN);
        if (i < 0) {
            return text;
        }
        char[] out = null;
        while (i >= 0) {
            int j = text.indexOf(END, i + 2);
            if (j < 0) {
                break;
            }
            int contentStart = i + BEGIN.length();
            if (j > contentStart && isHidden(text, i, contentStart, j)) {
                if (out == null) {
                    out = text.toCharArray();
                }
                for (int k = contentStart; k < j; k++) {
                    char c = text.charAt(k);
                    if (c != ' ' && c != '\r' && c != '\n') {
                        out[k] = '.';
                    } else if (c == ' ' && endsLineWithSpaces(text, k, j)) {
                        out[k] = '.';
                    }
                }
            }
            i = text.indexOf(BEGIN, j + END.length());
        }
        return out == null ? text : new String(out);
    }

    private static boolean isHidden(String text, int begin, int contentStart, int contentEnd) {
        int lineStart = text.lastIndexOf('\n', begin) + 1;
        boolean onlyWhitespaceBefore = true;
        for (int k = lineStart; k < begin; k++) {
            if (!Character.isWhitespace(text.charAt(k))) {
                onlyWhitespaceBefore = false;
                break;
            }
        }
        if (onlyWhitespaceBefore) {
            return true;
        }
        String content = text.substring(contentStart, contentEnd);
        int firstNonSpace = lineStart;
        while (firstNonSpace < begin && text.charAt(firstNonSpace) == ' ') {
            firstNonSpace++;
        }
        boolean couldBeTable = firstNonSpace < begin && text.charAt(firstNonSpace) == '|';
        boolean spansTableCells = couldBeTable && content.indexOf('\n') >= 0;
        return !(spansTableCells || content.startsWith(">") || content.startsWith("->") || content.endsWith("-")
                || content.contains("--"));
    }

    /** True when the space at {@code k} is part of a run of spaces followed by a line break before {@code end}. */
    private static boolean endsLineWithSpaces(String text, int k, int end) {
        int m = k;
        while (m < end && text.charAt(m) == ' ') {
            m++;
        }
        return m < end && (text.charAt(m) == '\r' || text.charAt(m) == '\n');
    }
}
