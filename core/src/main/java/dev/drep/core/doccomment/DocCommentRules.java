package dev.drep.core.doccomment;

import dev.drep.contracts.FileToAnalyze;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which public declarations need documentation work, on changed lines only.
 *
 * <ul>
 *   <li>A declaration counts when a line of its header (decorators and annotations included) or of
 *       its existing documentation comment was added or changed.</li>
 *   <li>Trivial functions and methods, spanning fewer than {@value #MIN_LINES} lines, are skipped —
 *       unless they are property-like accessors, which are always checked. Classes and types, and
 *       declarations without a body (abstract and interface methods: they are the contract), are
 *       always checked.</li>
 *   <li>Documentation is poor when its text is shorter than {@value #MIN_CHARS} characters, or holds
 *       TODO/FIXME/XXX/TBD or placeholder text.</li>
 * </ul>
 */
public final class DocCommentRules {
    /** Functions spanning fewer lines are trivial helpers. */
    public static final int MIN_LINES = 3;
    /** Shorter documentation text is poor. */
    public static final int MIN_CHARS = 10;

    private static final Pattern MARKER = Pattern.compile("\\b(TODO|FIXME|XXX|TBD)\\b", Pattern.CASE_INSENSITIVE);
    private static final List<String> PLACEHOLDERS = List.of("lorem ipsum", "placeholder", "description here",
            "add description", "add a description", "insert description", "write documentation", "document this",
            "docstring here", "your description", "to be documented", "fill in", "fill me in", "not documented",
            "undocumented", "description goes here", "summary here", "add documentation", "add docs");

    private DocCommentRules() {
    }

    /** @return the issues of the declarations that {@code file}'s changed lines touch */
    public static List<DocIssue> check(List<Declaration> declarations, FileToAnalyze file) {
        List<DocIssue> issues = new ArrayList<>();
        for (Declaration d : declarations) {
            if (!touched(d, file) || trivial(d)) {
                continue;
            }
            if (d.doc() == null) {
                issues.add(new DocIssue(d, true, null));
            } else {
                String poor = poorness(d.doc().text());
                if (poor != null) {
                    issues.add(new DocIssue(d, false, poor));
                }
            }
        }
        return issues;
    }

    private static boolean touched(Declaration d, FileToAnalyze file) {
        for (int line = d.startLine(); line <= d.headerEndLine(); line++) {
            if (file.isChanged(line)) {
                return true;
            }
        }
        if (d.doc() != null) {
            for (int line = d.doc().startLine(); line <= d.doc().endLine(); line++) {
                if (file.isChanged(line)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean trivial(Declaration d) {
        boolean callable = d.kind() == Declaration.Kind.FUNCTION || d.kind() == Declaration.Kind.METHOD
                || d.kind() == Declaration.Kind.CONSTRUCTOR;
        return callable && !d.accessor() && d.bodyStartLine() > 0 && d.lineCount() < MIN_LINES;
    }

    /** @return what is poor about documentation {@code text}, or null when it is fine */
    public static String poorness(String text) {
        String t = text == null ? "" : text.strip();
        Matcher marker = MARKER.matcher(t);
        if (marker.find()) {
            return "a placeholder (" + marker.group(1).toUpperCase(Locale.ROOT) + ")";
        }
        String lower = t.toLowerCase(Locale.ROOT);
        for (String placeholder : PLACEHOLDERS) {
            if (lower.contains(placeholder)) {
                return "a placeholder (\"" + placeholder + "\")";
            }
        }
        if (t.length() < MIN_CHARS) {
            return "too short (" + t.length() + " characters)";
        }
        return null;
    }
}
