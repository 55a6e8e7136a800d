package dev.drep.core.markdown;

import dev.drep.contracts.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The deterministic markdown checks of drep (see {@link MarkdownRule}), held to markdownlint on every rule the
 * two share: the markdownlint-cli2 oracle test ({@code MarkdownlintOracleTest}) runs both over a varied corpus
 * and requires the same lines per rule, with the deliberate differences listed there.
 *
 * <h2>Two passes</h2>
 * <ol>
 *   <li>A CommonMark parse with source positions ({@link MarkdownStructure}, commonmark-java) decides the
 *       structural rules — {@code md.bare-url} (markdownlint MD034: GFM autolink literals, e-mail addresses and
 *       {@code www.} included, outside links, code and HTML), {@code md.unbalanced-brackets} (link syntax the
 *       parser did not take for a link, such as {@code [text](url} without its {@code )}),
 *       {@code md.unclosed-fence} and {@code md.empty-heading} — and tells the line rules which lines are code,
 *       HTML blocks, link reference definitions or links only.</li>
 *   <li>A scan of the lines, with the content of HTML comments hidden ({@link HtmlComments}) and front matter
 *       skipped ({@link FrontMatter}) as markdownlint does:
 *       <ul>
 *         <li>{@code md.trailing-whitespace} (MD009, defaults): exactly two trailing spaces are a hard line
 *             break and fine; lines inside code blocks are not checked (fence lines are).</li>
 *         <li>{@code md.tab} (MD010 with {@code code_blocks: false}): tabs in fenced and indented code and in
 *             code spans are fine (a Makefile or Go sample must keep them).</li>
 *         <li>{@code md.blank-lines} (MD012 with {@code maximum: 2}): one finding per run, on the first blank
 *             line beyond two; blank lines in code blocks are the code's business.</li>
 *         <li>{@code md.line-length} (MD013 with {@code line_length: 120}): code, tables and headings
 *             included; the last word may cross the limit when it starts within it (a long URL cannot be
 *             wrapped); link reference definitions and lines that hold only links are not checked. Lengths
 *             are counted in code points.</li>
 *         <li>{@code md.heading-space} (MD018): a line starting with {@code #} directly followed by text,
 *             outside code and HTML blocks.</li>
 *       </ul></li>
 * </ol>
 * {@code md.trailing-blank-line} (the file ends with a blank line) has no markdownlint counterpart.
 *
 * <p>Lines end at {@code \n}, {@code \r\n} or {@code \r}, as in CommonMark. A byte order mark at the start is
 * ignored. Where the fix is mechanical (trailing whitespace, tab, heading space) the finding's suggestion is
 * the whole line with <em>every</em> mechanical fix of that line applied, so that applying any one suggestion
 * of a line does not undo another. Tabs expand to the next multiple of {@value #TAB_WIDTH} columns,
 * CommonMark's tab stop.
 *
 * <p>Instances are stateless and thread-safe.
 */
public final class MarkdownAnalyzer {
    /** The longest line, in characters (Unicode code points), that {@code md.line-length} accepts. */
    public static final int MAX_LINE_LENGTH = 120;
    /** The most consecutive blank lines {@code md.blank-lines} accepts. */
    public static final int MAX_BLANK_LINES = 2;
    /** Tab stop used when a suggestion replaces tabs by spaces. */
    public static final int TAB_WIDTH = 4;
    /** Trailing spaces that make a hard line break, and are therefore not reported (markdownlint's br_spaces). */
    static final int HARD_BREAK_SPACES = 2;

    private static final Comparator<Finding> BY_LINE_AND_RULE = Comparator.comparingInt(Finding::line)
            .thenComparingInt(f -> MarkdownRule.byId(f.rule()).orElseThrow().ordinal());

    /**
     * Checks one markdown file.
     *
     * @param path    repository-relative path, copied into every finding
     * @param content the file's text; may be empty, use LF, CRLF or CR, and lack a final newline
     * @return the findings, ordered by line; empty when the file is clean
     */
    public List<Finding> analyze(String path, String content) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        return new FileCheck(path, content).run();
    }

    /** The state of one {@link #analyze} call: one instance per file, so the analyzer stays stateless. */
    private static final class FileCheck {
        private final String path;
        private final String text;
        /** The text the line rules decide on: HTML comment content hidden, same length and line breaks. */
        private final String visible;
        private final int start;
        private final List<Finding> findings = new ArrayList<>();
        private MarkdownStructure structure;

        private int blankRun;

        FileCheck(String path, String text) {
            this.path = path;
            this.text = text;
            this.visible = HtmlComments.clear(text);
            // A UTF-8 byte order mark is not part of the first line (it would hide a heading on it).
            this.start = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
        }

        List<Finding> run() {
            int frontMatterEnd = FrontMatter.end(text, start);
            int lineCount = countLines();
            structure = new MarkdownStructure(parseSource(frontMatterEnd), lineCount);
            reportStructure();

            int position = start;
            int line = 0;
            boolean lastLineBlank = false;
            boolean lastLineTerminated = false;
            int length = text.length();
            while (position < length) {
                int end = position;
                while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                    end++;
                }
                int next = end;
                if (next < length) {
                    next += text.charAt(next) == '\r' && next + 1 < length && text.charAt(next + 1) == '\n' ? 2 : 1;
                }
                line++;
                lastLineBlank = isBlank(position, end);
                if (position < frontMatterEnd) {
                    blankRun = 0; // front matter: metadata, not markdown
                } else {
                    checkLine(line, position, end);
                }
                lastLineTerminated = end < length;
                position = next;
            }
            // A single "\n" is an empty file, not a trailing blank line: the rule wants a blank line after text.
            if (lastLineTerminated && lastLineBlank && line >= 2) {
                add(MarkdownRule.TRAILING_BLANK_LINE, line,
                        "file ends with a blank line: end it with a single newline after the last line of text", null);
            }
            findings.sort(BY_LINE_AND_RULE);
            return findings;
        }

        private int countLines() {
            int lines = 1;
            for (int i = start; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                    lines++;
                }
            }
            return lines;
        }

        /** The text to parse: after the byte order mark, with front matter blanked so line numbers stay. */
        private String parseSource(int frontMatterEnd) {
            if (frontMatterEnd == start) {
                return start == 0 ? text : text.substring(start);
            }
            char[] chars = text.substring(start).toCharArray();
            for (int i = 0; i < frontMatterEnd - start; i++) {
                if (chars[i] != '\n' && chars[i] != '\r') {
                    chars[i] = ' ';
                }
            }
            return new String(chars);
        }

        private void reportStructure() {
            for (MarkdownStructure.BareUrl url : structure.bareUrls) {
                String shown = url.url();
                add(MarkdownRule.BARE_URL, url.line() + 1, "bare URL `" + shown + "`: write it as `<" + shown
                        + ">` or `[text](" + shown + ")`", null);
            }
            for (MarkdownStructure.BrokenLink link : structure.brokenLinks) {
                int column = link.column() + 1;
                add(MarkdownRule.UNBALANCED_BRACKETS, link.line() + 1, link.destinationClosed()
                        ? "`](` at column " + column + " starts a link destination that is not valid, so the link "
                                + "shows as plain text: write spaces in it as `%20` or put it in `<...>`"
                        : "`](` at column " + column + " starts a link destination that is never closed, so the "
                                + "link shows as plain text: add the `)`", null);
            }
            for (MarkdownStructure.UnclosedFence fence : structure.unclosedFences) {
                // The fence is named in words: backticks in a message would break it wherever it is shown as markdown.
                String name = fence.fenceLength() + (fence.fenceChar() == '`' ? " backticks" : " tildes");
                add(MarkdownRule.UNCLOSED_FENCE, fence.line() + 1, "code fence of " + name
                        + " opened on this line is never closed, so the rest of the file renders as code: "
                        + "add a closing line of at least " + name, null);
            }
            for (int heading : structure.emptyHeadings) {
                add(MarkdownRule.EMPTY_HEADING, heading + 1,
                        "heading has no text: add a title after the `#` or remove the line", null);
            }
        }

        /** Checks the line {@code [start, end)} (line ending excluded). */
        private void checkLine(int line, int from, int end) {
            int flags = structure.flags(line - 1);
            boolean blank = isBlank(from, end);

            // md.blank-lines (MD012): code blocks reset the count.
            if ((flags & MarkdownStructure.CODE_BLOCK) != 0 || !blank) {
                blankRun = 0;
            } else if (++blankRun == MAX_BLANK_LINES + 1) {
                add(MarkdownRule.BLANK_LINES, line, "more than " + MAX_BLANK_LINES
                        + " consecutive blank lines: keep at most one blank line between blocks", null);
            }

            int trailing = 0;
            while (end - trailing > from && LiteralAutolinks.isWhitespace(visible.charAt(end - trailing - 1))) {
                trailing++;
            }
            boolean inCode = (flags & (MarkdownStructure.FENCED_CONTENT | MarkdownStructure.INDENTED_CODE)) != 0;
            boolean trailingWhitespace = trailing > 0 && trailing != HARD_BREAK_SPACES && !inCode;
            boolean tab = !inCode && hasTabOutsideCode(from, end);
            int headingHashes = (flags & (MarkdownStructure.CODE_BLOCK | MarkdownStructure.HTML_BLOCK)) == 0
                    ? hashesWithoutSpace(from, end) : -1;

            String fix = trailingWhitespace || tab || headingHashes > 0 ? fixedLine(from, end, headingHashes) : null;
            if (trailingWhitespace) {
                add(MarkdownRule.TRAILING_WHITESPACE, line, "line ends with " + trailing + " whitespace character"
                        + (trailing == 1 ? "" : "s") + ": remove " + (trailing == 1 ? "it" : "them")
                        + " (exactly two spaces make a hard line break; a backslash at the end does too)", fix);
            }
            if (tab) {
                add(MarkdownRule.TAB, line, "line contains a tab character: indent and align with spaces "
                        + "(tabs render at different widths across viewers)", fix);
            }
            if (headingHashes > 0) {
                String hashes = text.substring(from, from + headingHashes);
                add(MarkdownRule.HEADING_SPACE, line, "no space after `" + hashes
                        + "`, so this does not render as a heading: write `" + hashes + " Title`", fix);
            }
            boolean linksOnly = (flags & MarkdownStructure.LINK) != 0 && (flags & MarkdownStructure.PARAGRAPH_TEXT) == 0;
            if ((flags & MarkdownStructure.DEFINITION) == 0 && !linksOnly) {
                checkLength(line, from, end);
            }
        }

        private boolean hasTabOutsideCode(int from, int end) {
            for (int i = from; i < end; i++) {
                if (visible.charAt(i) == '\t' && !structure.inCodeSpan(i - start)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * markdownlint's MD018: the line starts with hashes followed by something other than a hash, space or tab,
         * and does not end with a hash (a closed heading is MD020's business).
         *
         * @return the number of leading hashes, or -1 when the rule does not apply
         */
        private int hashesWithoutSpace(int from, int end) {
            int hashes = 0;
            while (from + hashes < end && visible.charAt(from + hashes) == '#') {
                hashes++;
            }
            if (hashes == 0 || from + hashes == end) {
                return -1;
            }
            char after = visible.charAt(from + hashes);
            if (after == ' ' || after == '\t' || (after == '\uFE0F' && hashes == 1)) {
                return -1; // "#️⃣", the keycap emoji, is not a heading either
            }
            int last = end;
            while (last > from && LiteralAutolinks.isWhitespace(visible.charAt(last - 1))) {
                last--;
            }
            return visible.charAt(last - 1) == '#' ? -1 : hashes;
        }

        private void checkLength(int line, int from, int end) {
            if (end - from <= MAX_LINE_LENGTH) {
                return; // the char count bounds the code point count from above
            }
            // As markdownlint (not strict): the last run of non-whitespace may cross the limit if it starts within.
            int lastWord = end;
            while (lastWord > from && !LiteralAutolinks.isWhitespace(visible.charAt(lastWord - 1))) {
                lastWord--;
            }
            if (visible.codePointCount(from, lastWord) + 1 > MAX_LINE_LENGTH) {
                int length = text.codePointCount(from, end);
                add(MarkdownRule.LINE_LENGTH, line, "line is " + length + " characters long (limit "
                        + MAX_LINE_LENGTH + "): wrap it", null);
            }
        }

        private boolean isBlank(int from, int end) {
            for (int i = from; i < end; i++) {
                if (!LiteralAutolinks.isWhitespace(visible.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The line with its mechanical fixes: trailing whitespace removed, tabs expanded and a space inserted
         * after {@code headingHashes} leading hashes (when positive).
         */
        private String fixedLine(int from, int end, int headingHashes) {
            int stop = end;
            while (stop > from && LiteralAutolinks.isWhitespace(text.charAt(stop - 1))) {
                stop--;
            }
            StringBuilder fixed = new StringBuilder(stop - from + 8);
            int column = 0;
            for (int i = from; i < stop; i++) {
                if (i - from == headingHashes) {
                    // Tab stops stay those of the original line, so a tab keeps the width it was seen with.
                    fixed.append(' ');
                }
                char c = text.charAt(i);
                if (c == '\t') {
                    int spaces = TAB_WIDTH - column % TAB_WIDTH;
                    for (int k = 0; k < spaces; k++) {
                        fixed.append(' ');
                    }
                    column += spaces;
                } else {
                    fixed.append(c);
                    column++;
                }
            }
            return fixed.toString();
        }

        private void add(MarkdownRule rule, int line, String message, String suggestion) {
            findings.add(new Finding(rule.id(), path, line, rule.severity(), message, suggestion));
        }
    }
}
