package dev.drep.publisher.posting;

/** Putting arbitrary text into markdown safely. */
public final class Markdown {
    private Markdown() {
    }

    /** @return {@code text} as an inline code span whose fence is longer than any backtick run inside */
    public static String code(String text) {
        String value = oneLine(text);
        String fence = "`".repeat(longestRun(value, '`') + 1);
        boolean pad = value.startsWith("`") || value.endsWith("`");
        return fence + (pad ? " " : "") + value + (pad ? " " : "") + fence;
    }

    /** @return a backtick fence for a block holding {@code text}: at least three, longer than any run inside */
    public static String fenceFor(String text) {
        return "`".repeat(Math.max(3, longestRun(text == null ? "" : text, '`') + 1));
    }

    /** @return {@code text} on one line (line breaks as spaces), empty for null */
    public static String oneLine(String text) {
        return text == null ? "" : text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').strip();
    }

    private static int longestRun(String text, char c) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == c ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
