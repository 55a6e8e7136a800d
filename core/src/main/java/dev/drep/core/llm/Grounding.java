package dev.drep.core.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * Checks that what the model says is on a line is on that line, and that its suggested code would apply.
 *
 * <p><b>Quotes.</b> A finding quotes the code it is about. The quote is compared with the file's lines
 * whitespace-insensitively (all whitespace removed on both sides) and may be a part of the line (a model
 * that leaves out a trailing comment still matches); a multi-line quote matches when each of its non-blank
 * lines is part of the consecutive file lines from the anchor on. A line-number gutter copied from the
 * prompt ({@code "  12+| "}) is ignored. The quote must be on the named line or within {@link #WINDOW}
 * lines of it; when it is not on the named line the finding moves to the nearest line it is on, and of two
 * lines equally near, to the one above (the model counts lines more often too far than too short, and the
 * earlier line is where a reader starts).
 *
 * <p><b>Suggestions.</b> A suggestion replaces lines {@code line..endLine} of the head file as a whole
 * (as GitHub's and GitLab's suggestion blocks and the SARIF fix do). It applies cleanly when those lines
 * exist, it changes them, it is code rather than a rendering of the prompt (no line-number gutter, no
 * {@code -}/{@code +} diff of the lines it replaces), and, when it has several lines, it does not begin
 * with the line above the range or end with the line below it (applying it would repeat that line: the
 * usual sign of a model that rewrote more than the lines its finding covers).
 */
public final class Grounding {
    /** Lines above and below the named line in which a quote is looked for. */
    public static final int WINDOW = 5;
    private static final Pattern GUTTER = Pattern.compile("^\\s*\\d+[+ ]?\\|( |$)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Grounding() {
    }

    /**
     * @param lines the file
     * @param line  the line the model named (must exist)
     * @param quote the quoted code
     * @return the line the quote is on (the named one, or the nearest within {@link #WINDOW}), or -1 when it
     *         is on none of them or the quote has no code at all
     */
    public static int locate(SourceLines lines, int line, String quote) {
        return locate(lines, line, quote, n -> true);
    }

    /**
     * As {@link #locate(SourceLines, int, String)}, among the lines {@code eligible} accepts only (e.g. the lines
     * the model was shown: a match on a line it never saw is a coincidence, not where it looked).
     */
    public static int locate(SourceLines lines, int line, String quote, IntPredicate eligible) {
        List<String> wanted = quoteLines(quote);
        if (wanted.isEmpty()) {
            return -1;
        }
        for (int distance = 0; distance <= WINDOW; distance++) {
            if (eligible.test(line - distance) && matchesAt(lines, line - distance, wanted)) {
                return line - distance;
            }
            if (distance > 0 && eligible.test(line + distance) && matchesAt(lines, line + distance, wanted)) {
                return line + distance;
            }
        }
        return -1;
    }

    /** @return whether {@code quote} holds any code (non-whitespace outside a copied gutter) */
    public static boolean hasCode(String quote) {
        return quote != null && !quoteLines(quote).isEmpty();
    }

    private static boolean matchesAt(SourceLines lines, int anchor, List<String> wanted) {
        if (anchor < 1 || anchor + wanted.size() - 1 > lines.count()) {
            return false;
        }
        for (int i = 0; i < wanted.size(); i++) {
            if (!squeeze(lines.line(anchor + i)).contains(wanted.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The quote's non-blank lines, gutters removed, whitespace squeezed out. */
    private static List<String> quoteLines(String quote) {
        List<String> wanted = new ArrayList<>();
        for (String part : quote.split("\r?\n", -1)) {
            String code = squeeze(GUTTER.matcher(part).replaceFirst(""));
            if (!code.isEmpty()) {
                wanted.add(code);
            }
        }
        return wanted;
    }

    private static String squeeze(String text) {
        return WHITESPACE.matcher(text).replaceAll("");
    }

    /**
     * @param lines      the file at head
     * @param line       the first line the suggestion replaces
     * @param endLine    the last line it replaces
     * @param suggestion the replacement text (a final line break is ignored)
     * @return why the suggestion would not apply cleanly, for logs; null when it applies
     */
    public static String suggestionProblem(SourceLines lines, int line, int endLine, String suggestion) {
        if (line < 1 || endLine < line || endLine > lines.count()) {
            return "it replaces lines " + line + "-" + endLine + ", which the file (" + lines.count()
                    + " lines) does not have";
        }
        String text = suggestion.replace("\r\n", "\n");
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        String[] proposed = text.split("\n", -1);
        List<String> replaced = new ArrayList<>();
        for (int n = line; n <= endLine; n++) {
            replaced.add(lines.line(n));
        }
        if (sameLines(proposed, replaced)) {
            return "it is the code it replaces";
        }
        if (gutterOnEveryLine(proposed)) {
            return "it carries the prompt's line numbers";
        }
        if (diffOf(proposed, replaced)) {
            return "it is a diff, not replacement code";
        }
        if (proposed.length > 1) {
            if (line > 1 && repeats(proposed[0], lines.line(line - 1))) {
                return "it begins with line " + (line - 1) + ", which it does not replace";
            }
            if (endLine < lines.count() && repeats(proposed[proposed.length - 1], lines.line(endLine + 1))) {
                return "it ends with line " + (endLine + 1) + ", which it does not replace";
            }
        }
        return null;
    }

    private static boolean sameLines(String[] proposed, List<String> replaced) {
        if (proposed.length != replaced.size()) {
            return false;
        }
        for (int i = 0; i < proposed.length; i++) {
            if (!proposed[i].stripTrailing().equals(replaced.get(i).stripTrailing())) {
                return false;
            }
        }
        return true;
    }

    private static boolean gutterOnEveryLine(String[] proposed) {
        boolean any = false;
        for (String line : proposed) {
            if (line.isBlank()) {
                continue;
            }
            if (!GUTTER.matcher(line).find()) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** Every non-blank line starts with - or +, and a - line is one of the replaced lines. */
    private static boolean diffOf(String[] proposed, List<String> replaced) {
        boolean removesAReplacedLine = false;
        for (String line : proposed) {
            if (line.isBlank()) {
                continue;
            }
            char first = line.charAt(0);
            if (first != '-' && first != '+') {
                return false;
            }
            if (first == '-') {
                String removed = squeeze(line.substring(1));
                removesAReplacedLine |= !removed.isEmpty() && replaced.stream().anyMatch(r -> squeeze(r).equals(removed));
            }
        }
        return removesAReplacedLine;
    }

    /** Equal, whitespace aside, and more than punctuation (a closing brace may well be repeated). */
    private static boolean repeats(String proposed, String neighbour) {
        String p = squeeze(proposed);
        return p.equals(squeeze(neighbour)) && p.chars().anyMatch(Character::isLetterOrDigit);
    }
}
