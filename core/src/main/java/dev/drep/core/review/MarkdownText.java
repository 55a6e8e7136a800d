package dev.drep.core.review;

/** Small helpers to put arbitrary text into markdown safely. */
final class MarkdownText {
    private MarkdownText() {
    }

    /** {@code text} as an inline code span whose backtick fence is longer than any backtick run inside. */
    static String code(String text) {
        String value = text == null ? "" : oneLine(text);
        String fence = "`".repeat(longestRun(value, '`') + 1);
        // A span starting or ending with a backtick needs a space inside the fence (CommonMark strips one).
        boolean pad = value.startsWith("`") || value.endsWith("`");
        return fence + (pad ? " " : "") + value + (pad ? " " : "") + fence;
    }

    /** A backtick fence for a fenced block holding {@code text}: at least three, longer than any run inside. */
    static String fenceFor(String text) {
        return "`".repeat(Math.max(3, longestRun(text, '`') + 1));
    }

    /** {@code text} with line breaks replaced by spaces, for places where markdown needs one line. */
    static String oneLine(String text) {
        return text == null ? "" : text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    static int longestRun(String text, char c) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == c ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
