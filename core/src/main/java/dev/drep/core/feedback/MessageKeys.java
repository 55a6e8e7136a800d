package dev.drep.core.feedback;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The key under which a finding's message recurs (docs/architecture.md, "Learning from feedback"): a repository that
 * keeps rejecting the same message has it suppressed there, whatever its rule. Two messages are the same when they
 * differ only in case, whitespace, numbers, code spans and final punctuation — "Variable `tmp` on line 12 is unused."
 * and "variable `count` on line 40 is unused" are one message; a model names the identifier and the line, the nit is the
 * same. Pure.
 */
public final class MessageKeys {
    /** Keys are cut to this many characters (the start of a message says what it is about). */
    static final int MAX_LENGTH = 300;
    private static final Pattern CODE_SPAN = Pattern.compile("(?<!`)(`+)(?!`)[\\s\\S]*?(?<!`)\\1(?!`)");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    private static final Pattern TRAILING = Pattern.compile("[\\s.!:;,]+$");

    private MessageKeys() {
    }

    /**
     * @param message a finding's message as the analyzer wrote it
     * @return its key: lower case, code spans as {@code `…`}, numbers as {@code 0}, whitespace collapsed, final
     *     punctuation dropped, at most {@value #MAX_LENGTH} characters; null for a blank or missing message
     */
    public static String of(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        String key = CODE_SPAN.matcher(message.toLowerCase(Locale.ROOT)).replaceAll("`…`");
        key = NUMBER.matcher(key).replaceAll("0");
        key = SPACE.matcher(key).replaceAll(" ").strip();
        key = TRAILING.matcher(key).replaceAll("");
        if (key.isEmpty()) {
            return null;
        }
        return key.length() <= MAX_LENGTH ? key : key.substring(0, MAX_LENGTH);
    }
}
