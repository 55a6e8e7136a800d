package dev.drep.core.doccomment;

import dev.drep.core.llm.SourceLines;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns proposed documentation text into a suggestion: the full replacement text of the lines the
 * finding covers, in the language's comment syntax and indentation — a Javadoc/JSDoc block or Go
 * {@code //} lines above the declaration's first line, a Python docstring below the header, or, for a
 * poor comment, all the lines of that comment ({@link #anchor} to {@link #endLine}) replaced by the new one.
 */
public final class DocCommentFormatter {
    private static final int MAX_LINES = 60;
    private static final int MAX_CHARS = 4_000;
    /**
     * Most lines one suggestion replaces: GitLab applies a suggestion to at most 100 lines below the
     * commented one. A longer poor comment gets no suggestion (its proposal goes into the message).
     */
    public static final int MAX_RANGE_LINES = 101;
    private static final Pattern PYTHON_STRING_START = Pattern.compile("(?s)^[rRuU]?(\"\"\"|'''|\"|').*");
    private static final Pattern PYTHON_STRING_END = Pattern.compile("(?s).*(\"|')$");

    private DocCommentFormatter() {
    }

    /** @return the line a finding about {@code issue} is anchored to (the first line the suggestion replaces) */
    public static int anchor(SourceLanguage language, DocIssue issue) {
        Declaration d = issue.declaration();
        if (!issue.missing()) {
            return d.doc().startLine();
        }
        return language == SourceLanguage.PYTHON ? d.headerEndLine() : d.startLine();
    }

    /**
     * @return the last line a suggestion for {@code issue} replaces: the poor comment's last line, or the
     *         anchor itself for a missing comment (the new comment is written around that line)
     */
    public static int endLine(SourceLanguage language, DocIssue issue) {
        return issue.missing() ? anchor(language, issue) : Math.max(issue.declaration().doc().endLine(),
                anchor(language, issue));
    }

    /**
     * @param language the file's language
     * @param issue    the issue
     * @param lines    the file
     * @param proposed the proposed documentation text (comment markers are removed if the model added them)
     * @return the replacement text for lines {@link #anchor} to {@link #endLine}, or null when replacing those
     *         lines cannot express it: a comment sharing its first or last line with code, a Python body on the
     *         header's line, a poor comment longer than {@value #MAX_RANGE_LINES} lines
     */
    public static String suggestion(SourceLanguage language, DocIssue issue, SourceLines lines, String proposed) {
        String text = clean(proposed);
        if (text.isEmpty()) {
            return null;
        }
        Declaration d = issue.declaration();
        int anchor = anchor(language, issue);
        int end = endLine(language, issue);
        if (anchor < 1 || end > lines.count() || end - anchor + 1 > MAX_RANGE_LINES) {
            return null;
        }
        String line = lines.line(anchor);
        if (issue.missing()) {
            if (language == SourceLanguage.PYTHON) {
                if (d.bodyStartLine() == 0 || d.bodyStartLine() <= d.headerEndLine()) {
                    return null;
                }
                return line + "\n" + docstring(text, d.bodyIndent());
            }
            return block(language, text, d.indent()) + "\n" + line;
        }
        String indent = JavaDeclarations.indent(lines, anchor);
        String first = line.strip();
        String last = lines.line(end).strip();
        boolean alone = switch (language) {
            case PYTHON -> PYTHON_STRING_START.matcher(first).matches() && PYTHON_STRING_END.matcher(last).matches();
            case GO -> (first.startsWith("//") || first.startsWith("/*"))
                    && (last.startsWith("//") || last.endsWith("*/"));
            default -> first.startsWith("/**") && last.endsWith("*/");
        };
        if (!alone) {
            return null;
        }
        return language == SourceLanguage.PYTHON ? docstring(text, indent) : block(language, text, indent);
    }

    /** @return the comment block for {@code text}, each line indented, without a final newline */
    public static String block(SourceLanguage language, String text, String indent) {
        List<String> lines = text.lines().toList();
        StringBuilder out = new StringBuilder();
        if (language == SourceLanguage.GO) {
            for (int i = 0; i < lines.size(); i++) {
                out.append(indent).append(lines.get(i).isBlank() ? "//" : "// " + lines.get(i));
                if (i < lines.size() - 1) {
                    out.append('\n');
                }
            }
            return out.toString();
        }
        out.append(indent).append("/**\n");
        for (String l : lines) {
            out.append(indent).append(l.isBlank() ? " *" : " * " + l.replace("*/", "*&#47;")).append('\n');
        }
        out.append(indent).append(" */");
        return out.toString();
    }

    /** @return a Python docstring for {@code text} at {@code indent}, without a final newline */
    public static String docstring(String text, String indent) {
        String safe = text.replace("\\", "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
        List<String> lines = safe.lines().toList();
        if (lines.size() == 1) {
            return indent + "\"\"\"" + lines.get(0) + "\"\"\"";
        }
        StringBuilder out = new StringBuilder(indent).append("\"\"\"").append(lines.get(0)).append('\n');
        for (int i = 1; i < lines.size(); i++) {
            out.append(lines.get(i).isBlank() ? "" : indent + lines.get(i)).append('\n');
        }
        return out.append(indent).append("\"\"\"").toString();
    }

    /** Removes code fences and comment markers a model may have added, blank edges and excess length. */
    public static String clean(String proposed) {
        if (proposed == null) {
            return "";
        }
        String text = proposed.replace("\r\n", "\n").strip();
        if (text.startsWith("```")) {
            text = text.replaceFirst("^```[^\\n]*\\n?", "").replaceFirst("\\n?```\\s*$", "").strip();
        }
        for (String quote : new String[] {"\"\"\"", "'''"}) {
            if (text.startsWith(quote) && text.endsWith(quote) && text.length() >= 6) {
                text = text.substring(3, text.length() - 3).strip();
            }
        }
        if (text.startsWith("/**") || text.startsWith("/*")) {
            text = text.replaceFirst("^/\\*\\*?", "").replaceFirst("\\*/$", "");
            List<String> stripped = new ArrayList<>();
            for (String l : text.split("\n", -1)) {
                stripped.add(l.strip().replaceFirst("^\\* ?", ""));
            }
            text = String.join("\n", stripped).strip();
        }
        List<String> lines = text.lines().toList();
        if (!lines.isEmpty() && lines.stream().allMatch(l -> l.strip().startsWith("//") || l.isBlank())) {
            lines = lines.stream().map(l -> l.strip().replaceFirst("^// ?", "")).toList();
        } else if (!lines.isEmpty() && lines.stream().allMatch(l -> l.strip().startsWith("#") || l.isBlank())) {
            lines = lines.stream().map(l -> l.strip().replaceFirst("^# ?", "")).toList();
        }
        List<String> kept = new ArrayList<>();
        for (String l : lines) {
            kept.add(l.stripTrailing());
        }
        if (kept.size() > MAX_LINES) {
            kept = new ArrayList<>(kept.subList(0, MAX_LINES));
        }
        String joined = String.join("\n", kept).strip();
        return joined.length() > MAX_CHARS ? joined.substring(0, MAX_CHARS).strip() : joined;
    }
}
