package dev.drep.publisher.posting;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a markdown body within a platform's length limit (GitHub refuses bodies over 65,536
 * characters): a longer body is cut at a line break, an open code fence is closed, and a note says that
 * and how much was left out. Markers drep needs stay at the top of bodies, so a cut never loses them.
 * Lengths are counted in UTF-16 units, which is never less than the platforms' character counts.
 */
public final class BodyLimit {
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    /** Below this, a body is hard-cut without a note: there is no room for one. */
    private static final int MIN_FOR_NOTE = 400;

    private BodyLimit() {
    }

    /** @return {@code body} unchanged when it fits, else cut with a note, at most {@code limit} long */
    public static String fit(String body, int limit) {
        if (body.length() <= limit) {
            return body;
        }
        if (limit < MIN_FOR_NOTE) {
            return body.substring(0, safeCut(body, limit));
        }
        // room for the note (numbers up to 10 digits) and for closing a fence of up to 20 characters
        int budget = limit - note(limit, Integer.MAX_VALUE).length() - 22;
        int cut = safeCut(body, budget);
        int newline = body.lastIndexOf('\n', cut - 1);
        if (newline > budget / 2) {
            cut = newline;
        }
        String kept = body.substring(0, cut);
        String closing = openFence(kept);
        String result = kept + (closing == null ? "" : "\n" + closing) + note(limit, body.length() - cut);
        return result.length() <= limit ? result : result.substring(0, safeCut(result, limit));
    }

    private static String note(int limit, int omitted) {
        return "\n\n> **Note:** drep cut this text to stay within the platform's limit of " + limit
                + " characters; " + omitted + " characters were left out.\n";
    }

    /** A cut position at or before {@code at} that does not split a surrogate pair. */
    private static int safeCut(String text, int at) {
        int cut = Math.max(0, Math.min(at, text.length()));
        if (cut > 0 && cut < text.length() && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return cut;
    }

    /** @return the closing fence for a code block left open at the end of {@code text}, or null */
    static String openFence(String text) {
        String open = null;
        for (String line : text.split("\n", -1)) {
            Matcher m = FENCE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String fence = m.group(1);
            if (open == null) {
                open = fence;
            } else if (fence.charAt(0) == open.charAt(0) && fence.length() >= open.length()
                    && line.strip().equals(fence)) {
                open = null;
            }
        }
        return open;
    }
}
