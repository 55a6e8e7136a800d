package dev.drep.core.markdown;

import dev.drep.contracts.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The deterministic markdown checks of drep: ten line rules (see {@link MarkdownRule}) with the ids and
 * severities of the original drep, run in one pass over the text.
 *
 * <h2>What is checked where</h2>
 * <ul>
 *   <li><b>Everywhere</b>, fenced code included: {@code md.trailing-whitespace} and {@code md.line-length}.
 *       Trailing whitespace is noise in code as much as in prose, and an over-long code line scrolls
 *       sideways in every viewer.</li>
 *   <li><b>Outside fenced code only</b>: {@code md.tab} (tabs are legitimate in code samples: a Makefile
 *       or Go snippet must keep them), {@code md.empty-heading}, {@code md.heading-space},
 *       {@code md.blank-lines} (spacing inside code is the author's business), {@code md.bare-url} and
 *       {@code md.unbalanced-brackets} (a {@code #} or a {@code [} in code is not markdown).</li>
 *   <li><b>Outside inline code</b> ({@code `...`} spans, any number of backticks, on one line):
 *       {@code md.bare-url} and {@code md.unbalanced-brackets}.</li>
 *   <li><b>Whole file</b>: {@code md.unclosed-fence} (finding on the opening line) and
 *       {@code md.trailing-blank-line} (the file ends with more than one newline; finding on the
 *       last, blank line).</li>
 * </ul>
 *
 * <h2>How markdown is recognised</h2>
 * <ul>
 *   <li>A fence is a run of three or more {@code `} or {@code ~}, after any indentation and blockquote
 *       markers ({@code >}), so fences inside list items and quotes count. A backtick fence's info string
 *       may not contain a backtick. It is closed by a run of the same character at least as long,
 *       followed only by whitespace. Indented (four-space) code blocks are not recognised: they cannot be
 *       told apart from list continuations line by line.</li>
 *   <li>Headings are ATX headings starting in column 1, as in the original drep; seven or more hashes
 *       are not a heading.</li>
 *   <li>A URL ({@code http://} or {@code https://}) is not bare inside a link's text or destination
 *       ({@code [text](url)}, images and nested badges included), inside {@code <...>} (autolinks and HTML
 *       tags), in a link reference definition ({@code [id]: url}) or in inline code.</li>
 *   <li>Link syntax is checked per line: a {@code ]} without its {@code [}, a {@code [} never closed, a
 *       link destination {@code (} never closed. Plain parentheses in prose are not link syntax (an
 *       ordered list item {@code 1)} or a smiley is fine). Backslash-escaped brackets do not count.</li>
 *   <li>Blank means empty or only spaces and tabs. Lines end at {@code \n}; a {@code \r} before it (CRLF)
 *       is part of the line ending, not trailing whitespace. A missing final newline is fine, and a byte
 *       order mark at the start of the file is ignored.</li>
 * </ul>
 *
 * <p>Suggestions: where the fix is mechanical (trailing whitespace, tab, heading space) the finding's
 * suggestion is the whole line with <em>every</em> mechanical fix of that line applied, so that applying
 * any one suggestion of a line does not undo another. Tabs expand to the next multiple of
 * {@value #TAB_WIDTH} columns, CommonMark's tab stop. Other rules have no suggestion.
 *
 * <p>Instances are stateless and thread-safe. The scan allocates nothing per line; strings are built
 * only for findings.
 */
public final class MarkdownAnalyzer {
    /** The longest line, in characters (Unicode code points), that {@code md.line-length} accepts. */
    public static final int MAX_LINE_LENGTH = 120;
    /** Tab stop used when a suggestion replaces tabs by spaces. */
    public static final int TAB_WIDTH = 4;

    private static final int MIN_BLANK_RUN = 3;
    private static final int MAX_HEADING_LEVEL = 6;
    private static final int MIN_FENCE_LENGTH = 3;
    /** The ASCII characters {@code scanInline} acts on; every other character is skipped at once. */
    private static final boolean[] INLINE_SYNTAX = new boolean[128];

    static {
        for (char c : "\t\\`<[]hH".toCharArray()) {
            INLINE_SYNTAX[c] = true;
        }
    }

    private static final Comparator<Finding> BY_LINE = Comparator.comparingInt(Finding::line);

    // Messages of md.unbalanced-brackets; %d is the 1-based column (in code points) of the offending character.
    private static final String STRAY_CLOSING_BRACKET =
            "`]` at column %d has no matching `[`: add the `[` of the link text or escape it as `\\]`";
    private static final String UNCLOSED_BRACKET =
            "`[` at column %d is never closed: close the link text with `]` or escape it as `\\[`";
    private static final String UNCLOSED_DESTINATION =
            "`(` of the link destination at column %d is never closed: add the `)`";

    /**
     * Checks one markdown file.
     *
     * @param path    repository-relative path, copied into every finding
     * @param content the file's text; may be empty, use LF or CRLF, and lack a final newline
     * @return the findings, ordered by line; empty when the file is clean
     */
    public List<Finding> analyze(String path, String content) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        return new FileScan(path, content).run();
    }

    /** The state of one {@link #analyze} call: one instance per file, so the analyzer stays stateless. */
    private static final class FileScan {
        private final String path;
        private final String text;
        private final List<Finding> findings = new ArrayList<>();
        private boolean needsSort;

        private boolean inFence;
        private char fenceChar;
        private int fenceLength;
        private int fenceLine;

        private int blankRunStart;
        private int blankRunLength;

        /** Set by the inline scanners when they pass a tab; reset per line. */
        private boolean lineHasTab;

        FileScan(String path, String text) {
            this.path = path;
            this.text = text;
        }

        List<Finding> run() {
            int length = text.length();
            // A UTF-8 byte order mark is not part of the first line (it would hide a heading on it).
            int position = length > 0 && text.charAt(0) == '\uFEFF' ? 1 : 0;
            int line = 0;
            boolean lastLineBlank = false;
            boolean lastLineTerminated = false;
            while (position < length) {
                int newline = text.indexOf('\n', position);
                int next = newline < 0 ? length : newline + 1;
                int end = newline < 0 ? length : newline;
                if (end > position && text.charAt(end - 1) == '\r') {
                    end--;
                }
                line++;
                lastLineBlank = checkLine(line, position, end);
                lastLineTerminated = newline >= 0;
                position = next;
            }
            endBlankRun();
            if (inFence) {
                // The fence is named in words: backticks in a message would break it wherever it is shown as markdown.
                String fence = fenceLength + (fenceChar == '`' ? " backticks" : " tildes");
                add(MarkdownRule.UNCLOSED_FENCE, fenceLine, "code fence of " + fence
                        + " opened on this line is never closed, so the rest of the file renders as code: "
                        + "add a closing line of at least " + fence, null);
                needsSort = true;
            }
            // A single "\n" is an empty file, not a trailing blank line: the rule wants a blank line after text.
            if (lastLineTerminated && lastLineBlank && line >= 2) {
                add(MarkdownRule.TRAILING_BLANK_LINE, line,
                        "file ends with a blank line: end it with a single newline after the last line of text", null);
            }
            if (needsSort) {
                findings.sort(BY_LINE);
            }
            return findings;
        }

        /** Checks the line {@code [start, end)} (line ending excluded); returns true when it is blank. */
        private boolean checkLine(int line, int start, int end) {
            int first = start;
            while (first < end && isSpaceOrTab(text.charAt(first))) {
                first++;
            }
            boolean blank = first == end;
            boolean trailingWhitespace = end > start && isSpaceOrTab(text.charAt(end - 1));

            if (inFence || isFenceLine(first, end)) {
                // Fence delimiters and code: only whitespace and length rules apply.
                endBlankRun();
                if (inFence) {
                    if (closesFence(first, end)) {
                        inFence = false;
                    }
                } else {
                    openFence(line, first, end);
                }
                if (trailingWhitespace) {
                    addTrailingWhitespace(line, start, end, fixedLine(start, end, false, -1));
                }
                checkLength(line, start, end);
                return blank;
            }

            if (blank) {
                if (blankRunLength++ == 0) {
                    blankRunStart = line;
                }
            } else {
                endBlankRun();
            }

            lineHasTab = false;
            int headingHashes = -1;
            boolean emptyHeading = false;
            if (!blank && text.charAt(start) == '#') {
                int hashes = 1;
                while (start + hashes < end && text.charAt(start + hashes) == '#') {
                    hashes++;
                }
                if (hashes <= MAX_HEADING_LEVEL) {
                    int afterHashes = start + hashes;
                    if (afterHashes == end || isSpaceOrTab(text.charAt(afterHashes))) {
                        emptyHeading = afterHashes + countSpaceOrTab(afterHashes, end) == end;
                    } else {
                        headingHashes = hashes;
                    }
                }
            }
            if (blank) {
                // Only whitespace: nothing inline to scan, but a tab may still be there.
                for (int i = start; i < end; i++) {
                    if (text.charAt(i) == '\t') {
                        lineHasTab = true;
                        break;
                    }
                }
            } else {
                scanInline(start, end, first);
            }

            String fix = null;
            if (trailingWhitespace || lineHasTab || headingHashes > 0) {
                fix = fixedLine(start, end, true, headingHashes);
            }
            if (trailingWhitespace) {
                addTrailingWhitespace(line, start, end, fix);
            }
            if (lineHasTab) {
                add(MarkdownRule.TAB, line, "line contains a tab character: indent and align with spaces "
                        + "(tabs render at different widths across viewers)", fix);
            }
            if (emptyHeading) {
                add(MarkdownRule.EMPTY_HEADING, line,
                        "heading has no text: add a title after the `#` or remove the line", null);
            }
            if (headingHashes > 0) {
                String hashes = text.substring(start, start + headingHashes);
                add(MarkdownRule.HEADING_SPACE, line, "no space after `" + hashes
                        + "`, so this does not render as a heading: write `" + hashes + " Title`", fix);
            }
            checkLength(line, start, end);
            if (!blank) {
                reportInline(line, start);
            }
            return blank;
        }

        // ---- fences ----

        /** True when the line opens a fence: 3+ backticks or tildes after indentation and quote markers. */
        private boolean isFenceLine(int first, int end) {
            int markerStart = skipQuoteMarkers(first, end);
            if (markerStart >= end) {
                return false;
            }
            char c = text.charAt(markerStart);
            if (c != '`' && c != '~') {
                return false;
            }
            int run = runLength(markerStart, end, c);
            if (run < MIN_FENCE_LENGTH) {
                return false;
            }
            if (c == '`') {
                // CommonMark: a backtick fence's info string may not contain a backtick (it is inline code then).
                for (int i = markerStart + run; i < end; i++) {
                    if (text.charAt(i) == '`') {
                        return false;
                    }
                }
            }
            return true;
        }

        private void openFence(int line, int first, int end) {
            int markerStart = skipQuoteMarkers(first, end);
            inFence = true;
            fenceChar = text.charAt(markerStart);
            fenceLength = runLength(markerStart, end, fenceChar);
            fenceLine = line;
        }

        private boolean closesFence(int first, int end) {
            int markerStart = skipQuoteMarkers(first, end);
            if (markerStart >= end || text.charAt(markerStart) != fenceChar) {
                return false;
            }
            int run = runLength(markerStart, end, fenceChar);
            return run >= fenceLength && markerStart + run + countSpaceOrTab(markerStart + run, end) == end;
        }

        private int skipQuoteMarkers(int from, int end) {
            int i = from;
            while (i < end) {
                char c = text.charAt(i);
                if (c != '>' && c != ' ' && c != '\t') {
                    break;
                }
                i++;
            }
            return i;
        }

        // ---- blank lines ----

        private void endBlankRun() {
            if (blankRunLength >= MIN_BLANK_RUN) {
                add(MarkdownRule.BLANK_LINES, blankRunStart, blankRunLength + " consecutive blank lines (lines "
                        + blankRunStart + "-" + (blankRunStart + blankRunLength - 1)
                        + "): keep at most one blank line between blocks", null);
                needsSort = true;
            }
            blankRunLength = 0;
        }

        // ---- length and whitespace ----

        private void checkLength(int line, int start, int end) {
            // The char count bounds the code point count from above, so most lines skip the exact count.
            if (end - start > MAX_LINE_LENGTH) {
                int length = text.codePointCount(start, end);
                if (length > MAX_LINE_LENGTH) {
                    add(MarkdownRule.LINE_LENGTH, line, "line is " + length + " characters long (limit "
                            + MAX_LINE_LENGTH + "): wrap it", null);
                }
            }
        }

        private void addTrailingWhitespace(int line, int start, int end, String fix) {
            int count = 0;
            while (end - count > start && isSpaceOrTab(text.charAt(end - count - 1))) {
                count++;
            }
            add(MarkdownRule.TRAILING_WHITESPACE, line, "line ends with " + count + " whitespace character"
                    + (count == 1 ? "" : "s") + ": remove " + (count == 1 ? "it" : "them")
                    + " (end the line with a backslash if you meant a hard line break)", fix);
        }

        /**
         * The line with its mechanical fixes: trailing whitespace removed, tabs expanded (when
         * {@code expandTabs}) and a space inserted after {@code headingHashes} leading hashes (when positive).
         */
        private String fixedLine(int start, int end, boolean expandTabs, int headingHashes) {
            int stop = end;
            while (stop > start && isSpaceOrTab(text.charAt(stop - 1))) {
                stop--;
            }
            StringBuilder fixed = new StringBuilder(stop - start + 8);
            int column = 0;
            for (int i = start; i < stop; i++) {
                if (i - start == headingHashes) {
                    // Tab stops stay those of the original line, so a tab keeps the width it was seen with.
                    fixed.append(' ');
                }
                char c = text.charAt(i);
                if (c == '\t' && expandTabs) {
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

        // ---- inline: bare URLs and link brackets ----

        // Results of scanInline for the current line, read by reportInline.
        private int bareUrlStart = -1;
        private int bareUrlEnd = -1;
        private int bareUrlCount;
        private int bracketProblemAt;
        private String bracketProblem;

        /**
         * One left-to-right pass over a non-blank line outside fences: notes tabs, the first bare URL and
         * the first bracket problem. Inline code spans, escapes, {@code <...>} and link destinations are
         * skipped as units so that nothing inside them counts.
         */
        private void scanInline(int start, int end, int first) {
            bareUrlStart = -1;
            bareUrlEnd = -1;
            bareUrlCount = 0;
            bracketProblemAt = -1;
            bracketProblem = null;
            int depth = 0;
            int outermostOpen = -1;
            int i = start;
            while (i < end) {
                char c = text.charAt(i);
                // Fast path for the bulk of the text: one table look-up instead of the switch.
                if (c >= INLINE_SYNTAX.length || !INLINE_SYNTAX[c]) {
                    i++;
                    continue;
                }
                switch (c) {
                    case '\t' -> {
                        lineHasTab = true;
                        i++;
                    }
                    case '\\' -> i += i + 1 < end && isAsciiPunctuation(text.charAt(i + 1)) ? 2 : 1;
                    case '`' -> i = skipCodeSpan(i, end);
                    case '<' -> i = skipAngleBrackets(i, end);
                    case '[' -> {
                        if (depth++ == 0) {
                            outermostOpen = i;
                        }
                        i++;
                    }
                    case ']' -> {
                        i++;
                        if (depth == 0) {
                            noteBracketProblem(i - 1, STRAY_CLOSING_BRACKET);
                        } else if (--depth == 0 && i < end && text.charAt(i) == ':' && outermostOpen == first
                                && first - start <= 3) {
                            // "[id]: url" link reference definition: the rest of the line is its destination.
                            scanForTab(i, end);
                            i = end;
                        } else if (i < end && text.charAt(i) == '(') {
                            int afterDestination = skipLinkDestination(i, end);
                            if (afterDestination < 0) {
                                noteBracketProblem(i, UNCLOSED_DESTINATION);
                                i = end;
                            } else {
                                i = afterDestination;
                            }
                        }
                    }
                    case 'h', 'H' -> {
                        int urlEnd = urlEnd(i, start, end);
                        if (urlEnd < 0) {
                            i++;
                        } else {
                            // Skipped as a unit either way, so the URL's own characters never count as brackets.
                            if (depth == 0 && bareUrlCount++ == 0) {
                                bareUrlStart = i;
                                bareUrlEnd = urlEnd;
                            }
                            scanForTab(i, urlEnd);
                            i = urlEnd;
                        }
                    }
                    default -> i++;
                }
            }
            if (depth > 0) {
                noteBracketProblem(outermostOpen, UNCLOSED_BRACKET);
            }
        }

        private void reportInline(int line, int start) {
            if (bareUrlStart >= 0) {
                String url = trimUrl(bareUrlStart, bareUrlEnd);
                String more = bareUrlCount > 1 ? " (and " + (bareUrlCount - 1) + " more on this line)" : "";
                add(MarkdownRule.BARE_URL, line, "bare URL `" + url + "`" + more + ": write it as `<" + url
                        + ">` or `[text](" + url + ")`", null);
                bareUrlStart = -1;
            }
            if (bracketProblem != null) {
                int column = text.codePointCount(start, bracketProblemAt) + 1;
                add(MarkdownRule.UNBALANCED_BRACKETS, line, String.format(bracketProblem, column), null);
                bracketProblem = null;
            }
        }

        private void noteBracketProblem(int at, String messageFormat) {
            if (bracketProblem == null) {
                bracketProblemAt = at;
                bracketProblem = messageFormat;
            }
        }

        /**
         * Skips a code span that opens at {@code i}: returns the index after its closing backtick run (a run
         * of exactly the same length), or after the opening run when the span is never closed, in which case
         * the backticks are literal text (CommonMark).
         */
        private int skipCodeSpan(int i, int end) {
            int run = runLength(i, end, '`');
            int j = i + run;
            while (j < end) {
                char c = text.charAt(j);
                if (c == '`') {
                    int closing = runLength(j, end, '`');
                    if (closing == run) {
                        return j + closing;
                    }
                    j += closing;
                } else {
                    if (c == '\t') {
                        lineHasTab = true;
                    }
                    j++;
                }
            }
            return i + run;
        }

        /** Skips an autolink or HTML tag {@code <...>} opening at {@code i}; a lone {@code <} is plain text. */
        private int skipAngleBrackets(int i, int end) {
            if (i + 1 >= end) {
                return i + 1;
            }
            char next = text.charAt(i + 1);
            if (!isAsciiLetter(next) && next != '/' && next != '!' && next != '?') {
                return i + 1;
            }
            for (int j = i + 1; j < end; j++) {
                if (text.charAt(j) == '>') {
                    scanForTab(i, j);
                    return j + 1;
                }
            }
            return i + 1;
        }

        /**
         * Skips a link destination whose {@code (} is at {@code i}, allowing balanced nested parentheses
         * (Wikipedia URLs); returns the index after its {@code )}, or -1 when the line ends first.
         */
        private int skipLinkDestination(int i, int end) {
            int depth = 0;
            int j = i;
            while (j < end) {
                char c = text.charAt(j);
                if (c == '\\' && j + 1 < end) {
                    j += 2;
                    continue;
                }
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    if (--depth == 0) {
                        return j + 1;
                    }
                } else if (c == '\t') {
                    lineHasTab = true;
                }
                j++;
            }
            return -1;
        }

        /**
         * When an {@code http://} or {@code https://} URL starts at {@code i} (not in the middle of a word),
         * returns the index after it; else -1. A URL ends at whitespace, {@code <}, {@code >}, a backtick,
         * a quote or a square bracket.
         */
        private int urlEnd(int i, int lineStart, int end) {
            if (i > lineStart && Character.isLetterOrDigit(text.charAt(i - 1))) {
                return -1;
            }
            int afterScheme;
            if (text.regionMatches(true, i, "http://", 0, 7)) {
                afterScheme = i + 7;
            } else if (text.regionMatches(true, i, "https://", 0, 8)) {
                afterScheme = i + 8;
            } else {
                return -1;
            }
            if (afterScheme > end) {
                return -1;
            }
            int j = afterScheme;
            while (j < end) {
                char c = text.charAt(j);
                if (c == ' ' || c == '\t' || c == '<' || c == '>' || c == '`' || c == '"' || c == '[' || c == ']') {
                    break;
                }
                j++;
            }
            return j == afterScheme ? -1 : j;
        }

        /** The URL for the message: trailing punctuation and an unbalanced closing parenthesis dropped. */
        private String trimUrl(int from, int to) {
            int stop = to;
            while (stop > from) {
                char c = text.charAt(stop - 1);
                if (".,;:!?'*_~".indexOf(c) >= 0) {
                    stop--;
                } else if (c == ')' && count(from, stop, ')') > count(from, stop, '(')) {
                    stop--;
                } else {
                    break;
                }
            }
            return text.substring(from, stop);
        }

        private void scanForTab(int from, int to) {
            for (int j = from; j < to; j++) {
                if (text.charAt(j) == '\t') {
                    lineHasTab = true;
                    return;
                }
            }
        }

        // ---- helpers ----

        private int runLength(int from, int end, char c) {
            int j = from;
            while (j < end && text.charAt(j) == c) {
                j++;
            }
            return j - from;
        }

        private int countSpaceOrTab(int from, int end) {
            int j = from;
            while (j < end && isSpaceOrTab(text.charAt(j))) {
                j++;
            }
            return j - from;
        }

        private int count(int from, int to, char c) {
            int n = 0;
            for (int j = from; j < to; j++) {
                if (text.charAt(j) == c) {
                    n++;
                }
            }
            return n;
        }

        private void add(MarkdownRule rule, int line, String message, String suggestion) {
            findings.add(new Finding(rule.id(), path, line, rule.severity(), message, suggestion));
        }
    }

    private static boolean isSpaceOrTab(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiPunctuation(char c) {
        return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
    }
}
