package dev.drep.core.markdown;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.internal.InlineParserImpl;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.InlineParser;
import org.commonmark.parser.SourceLine;
import org.commonmark.parser.SourceLines;
import org.commonmark.parser.Parser;

/**
 * What a CommonMark parse (commonmark-java, GFM tables, source positions on blocks and inlines) says about
 * a file: which lines are code, HTML blocks, link reference definitions or carry only links (the line
 * rules skip these where markdownlint does), where the inline code spans are, and the structural findings:
 * bare URLs (GFM autolink literals outside links, code and HTML), link syntax the parser did not take for a
 * link, unclosed fences and empty headings.
 *
 * <p>Escapes, link text wrapped over lines, reference links, HTML blocks and comments come out right by
 * construction: they are the parser's business, and only its leftovers, plain {@link Text}, are looked at.
 */
final class MarkdownStructure {
    /** A line strictly between the fences of a fenced code block. */
    static final int FENCED_CONTENT = 1;
    /** A line of a fenced (fences included) or indented code block. */
    static final int CODE_BLOCK = 1 << 1;
    /** A line of an indented code block. */
    static final int INDENTED_CODE = 1 << 2;
    /** A line of an HTML block (comment blocks included). */
    static final int HTML_BLOCK = 1 << 3;
    /** A line of a link reference definition. */
    static final int DEFINITION = 1 << 4;
    /** A line holding a link, an image, an autolink or an autolink literal. */
    static final int LINK = 1 << 5;
    /** A line holding plain text directly in a paragraph (not inside a link or emphasis). */
    static final int PARAGRAPH_TEXT = 1 << 6;

    private static final Parser PARSER = Parser.builder()
            .extensions(List.of(TablesExtension.create()))
            .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES)
            .inlineParserFactory(context -> new ProseSkippingInlineParser(new InlineParserImpl(context)))
            .build();
    private static final Pattern HTML_TAG_NAME = Pattern.compile("^<([^!>][^/\\s>]*)");

    /** A bare URL: its line (0-based) and text. */
    record BareUrl(int line, String url) {
    }

    /** Link syntax the parser did not take for a link: the line and column (0-based, in code points) of the {@code ](}. */
    record BrokenLink(int line, int column, boolean destinationClosed) {
    }

    /** A fenced code block without a closing fence: its opening line (0-based), fence character and length. */
    record UnclosedFence(int line, char fenceChar, int fenceLength) {
    }

    /** Per ASCII character: 1 for bracket syntax and escapes, 2 for what an autolink literal needs ({@code @ : .}). */
    private static final byte[] SPAN_SYNTAX = new byte[128];

    static {
        SPAN_SYNTAX['['] = 1;
        SPAN_SYNTAX[']'] = 1;
        SPAN_SYNTAX['\\'] = 1;
        SPAN_SYNTAX['@'] = 2;
        SPAN_SYNTAX[':'] = 2;
        SPAN_SYNTAX['.'] = 2;
    }

    private final String source;
    private final char[] chars;
    private final byte[] lineFlags;
    private int[] codeSpans = new int[16];
    private int codeSpanCount;
    final List<BareUrl> bareUrls = new ArrayList<>();
    final List<BrokenLink> brokenLinks = new ArrayList<>();
    final List<UnclosedFence> unclosedFences = new ArrayList<>();
    final List<Integer> emptyHeadings = new ArrayList<>();

    // State of the inline content being walked (a paragraph, heading or table cell).
    private int labelDepth;
    private int lastBareUrlLine = -1;
    private int lastBrokenLinkLine = -1;

    /**
     * @param source    the text to parse: the file with its front matter blanked out (so positions stay those
     *                  of the file)
     * @param lineCount the number of lines of the file
     */
    MarkdownStructure(String source, int lineCount) {
        this.source = source;
        this.chars = source.toCharArray();
        this.lineFlags = new byte[lineCount + 1];
        walkBlocks(PARSER.parse(source));
    }

    /** @return the flags of the 0-based line {@code line} */
    int flags(int line) {
        return line < lineFlags.length ? lineFlags[line] : 0;
    }

    /** @return true when the character at {@code index} of the source lies in an inline code span */
    boolean inCodeSpan(int index) {
        // Spans are recorded in document order, so their starts ascend: binary search on the starts.
        int low = 0;
        int high = codeSpanCount - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int start = codeSpans[2 * mid];
            if (index < start) {
                high = mid - 1;
            } else if (index >= codeSpans[2 * mid + 1]) {
                low = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    private void walkBlocks(Node parent) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
            if (node instanceof FencedCodeBlock fence) {
                int first = firstLine(fence);
                int last = lastLine(fence);
                mark(first, last, CODE_BLOCK);
                boolean closed = fence.getClosingFenceLength() != null;
                // Without a closing fence every line after the opening one is code.
                mark(first + 1, closed ? last - 1 : last, FENCED_CONTENT);
                if (!closed) {
                    unclosedFences.add(new UnclosedFence(first, fence.getFenceCharacter().charAt(0),
                            fence.getOpeningFenceLength()));
                }
            } else if (node instanceof IndentedCodeBlock) {
                mark(firstLine(node), lastCodeLine(node), CODE_BLOCK | INDENTED_CODE);
            } else if (node instanceof HtmlBlock) {
                mark(firstLine(node), lastLine(node), HTML_BLOCK);
            } else if (node instanceof LinkReferenceDefinition) {
                mark(firstLine(node), lastLine(node), DEFINITION);
            } else if (node instanceof Paragraph || node instanceof Heading || isTableCell(node)) {
                if (node instanceof Heading && node.getFirstChild() == null) {
                    emptyHeadings.add(firstLine(node));
                }
                labelDepth = 0;
                walkInlines(node, node instanceof Paragraph, 0);
            } else {
                walkBlocks(node);
            }
        }
    }

    private static boolean isTableCell(Node node) {
        return node instanceof org.commonmark.ext.gfm.tables.TableCell;
    }

    /**
     * Walks the inline children of {@code parent} in order. {@code linkDepth > 0} inside link text and image
     * descriptions, where nothing is a bare URL.
     */
    private void walkInlines(Node parent, boolean paragraph, int linkDepth) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
            if (node instanceof HtmlInline html) {
                // markdownlint's MD034 ignores what stands between an inline HTML tag and its closing tag.
                Node closing = closingTag(html);
                if (closing != null) {
                    for (Node inside = html.getNext(); inside != closing; inside = inside.getNext()) {
                        walkInline(inside, paragraph, linkDepth + 1);
                    }
                    node = closing;
                }
            } else {
                walkInline(node, paragraph, linkDepth);
            }
        }
    }

    private void walkInline(Node node, boolean paragraph, int linkDepth) {
        if (node instanceof Text) {
            for (SourceSpan span : node.getSourceSpans()) {
                scanText(span, paragraph, linkDepth);
            }
        } else if (node instanceof Link || node instanceof Image) {
            markSpans(node, LINK);
            walkInlines(node, false, linkDepth + 1);
        } else if (node instanceof Code) {
            for (SourceSpan span : node.getSourceSpans()) {
                addCodeSpan(span.getInputIndex(), span.getInputIndex() + span.getLength());
            }
        } else if (node.getFirstChild() != null) {
            walkInlines(node, false, linkDepth);
        }
    }

    private static Node closingTag(HtmlInline open) {
        Matcher m = HTML_TAG_NAME.matcher(open.getLiteral());
        if (!m.find() || m.group(1).startsWith("/")) {
            return null;
        }
        String name = m.group(1);
        int count = 1;
        for (Node node = open.getNext(); node != null; node = node.getNext()) {
            if (node instanceof HtmlInline html) {
                Matcher other = HTML_TAG_NAME.matcher(html.getLiteral());
                if (other.find()) {
                    String tag = other.group(1);
                    if (tag.equals("/" + name) && --count == 0) {
                        return node;
                    } else if (tag.equals(name)) {
                        count++;
                    }
                }
            }
        }
        return null;
    }

    /** One line's worth of plain text: label brackets, autolink literals, leftover link syntax and plain data. */
    private void scanText(SourceSpan span, boolean paragraph, int linkDepth) {
        int line = span.getLineIndex();
        int from = span.getInputIndex();
        int to = from + span.getLength();
        // One cheap pass says what the span may hold; most text holds no bracket, escape or autolink at all.
        int seen = 0;
        for (int i = from; i < to; i++) {
            char c = chars[i];
            seen |= c < SPAN_SYNTAX.length ? SPAN_SYNTAX[c] : 0;
        }
        boolean brackets = (seen & 1) != 0;
        boolean autolinks = linkDepth == 0 && (seen & 2) != 0;
        if (!brackets && !autolinks) {
            if (paragraph && to > from) {
                lineFlags[line] |= PARAGRAPH_TEXT;
            }
            return;
        }
        boolean data = false;
        int k = from;
        while (k < to) {
            char c = source.charAt(k);
            if (c == '\\' && k + 1 < to && isAsciiPunctuation(source.charAt(k + 1))) {
                k += 2;
                data = true;
                continue;
            }
            if (c == '[') {
                labelDepth++;
            } else if (c == ']') {
                if (labelDepth > 0) {
                    labelDepth--;
                }
                if (k + 1 < to && source.charAt(k + 1) == '(') {
                    if (line != lastBrokenLinkLine) {
                        lastBrokenLinkLine = line;
                        brokenLinks.add(new BrokenLink(line, source.codePointCount(lineStart(span), k), closesOnLine(k)));
                    }
                    // the destination of the link that did not form is named by the broken-link finding: it is not
                    // reported again as a bare URL (one comment for one mistake)
                    k += 2;
                    while (k < to && !Character.isWhitespace(source.charAt(k)) && source.charAt(k) != ')') {
                        k++;
                    }
                    data = true;
                    continue;
                }
            } else if (autolinks && labelDepth == 0 && LiteralAutolinks.canStart(c)) {
                int end = LiteralAutolinks.match(source, k, to, k > 0 ? source.charAt(k - 1) : -1);
                if (end > k) {
                    lineFlags[line] |= LINK;
                    if (line != lastBareUrlLine) {
                        lastBareUrlLine = line;
                        bareUrls.add(new BareUrl(line, source.substring(k, end)));
                    }
                    k = end;
                    continue;
                }
            }
            data = true;
            k++;
        }
        if (paragraph && data) {
            lineFlags[line] |= PARAGRAPH_TEXT;
        }
    }

    private int lineStart(SourceSpan span) {
        return span.getInputIndex() - span.getColumnIndex();
    }

    /** True when a {@code )} follows {@code from} on its line. */
    private boolean closesOnLine(int from) {
        for (int k = from; k < chars.length && chars[k] != '\n' && chars[k] != '\r'; k++) {
            if (chars[k] == ')') {
                return true;
            }
        }
        return false;
    }

    private void addCodeSpan(int start, int end) {
        if (2 * codeSpanCount + 2 > codeSpans.length) {
            codeSpans = Arrays.copyOf(codeSpans, codeSpans.length * 2);
        }
        codeSpans[2 * codeSpanCount] = start;
        codeSpans[2 * codeSpanCount + 1] = end;
        codeSpanCount++;
    }

    private void markSpans(Node node, int flag) {
        mark(firstLine(node), lastLine(node), flag);
    }

    private void mark(int first, int last, int flag) {
        for (int line = Math.max(first, 0); line <= last && line < lineFlags.length; line++) {
            lineFlags[line] |= flag;
        }
    }

    private static int firstLine(Node node) {
        List<SourceSpan> spans = node.getSourceSpans();
        return spans.isEmpty() ? -1 : spans.get(0).getLineIndex();
    }

    private static int lastLine(Node node) {
        List<SourceSpan> spans = node.getSourceSpans();
        return spans.isEmpty() ? -2 : spans.get(spans.size() - 1).getLineIndex();
    }

    /**
     * The last line of an indented code block as micromark (markdownlint's parser) ends it: commonmark-java's
     * spans include the blank lines after the code, micromark keeps only those indented by four columns or more.
     */
    private int lastCodeLine(Node node) {
        List<SourceSpan> spans = node.getSourceSpans();
        for (int i = spans.size() - 1; i >= 0; i--) {
            SourceSpan span = spans.get(i);
            int k = span.getInputIndex() - span.getColumnIndex();
            int column = 0;
            while (k < source.length() && (source.charAt(k) == ' ' || source.charAt(k) == '\t')) {
                column = source.charAt(k) == '\t' ? column + 4 - column % 4 : column + 1;
                k++;
            }
            boolean blank = k >= source.length() || source.charAt(k) == '\n' || source.charAt(k) == '\r';
            if (!blank || column >= 4) {
                return span.getLineIndex();
            }
        }
        return -2;
    }

    /**
     * Leaves the inline content of a paragraph or table cell unparsed when it is plain prose: no character that
     * could open a link, an image, code, HTML or an escape, and nothing an autolink literal needs ({@code @},
     * {@code :}, {@code www.}). Such text holds nothing any rule looks at, and inline parsing is most of the
     * parse's cost. Headings are always parsed: an empty one is a finding.
     */
    private static final class ProseSkippingInlineParser implements InlineParser {
        private final InlineParser parser;

        ProseSkippingInlineParser(InlineParser parser) {
            this.parser = parser;
        }

        @Override
        public void parse(SourceLines lines, Node block) {
            if ((block instanceof Paragraph || isTableCell(block)) && isProse(lines)) {
                return;
            }
            parser.parse(lines, block);
        }

        private static boolean isProse(SourceLines lines) {
            for (SourceLine line : lines.getLines()) {
                CharSequence content = line.getContent();
                for (int i = 0; i < content.length(); i++) {
                    char c = content.charAt(i);
                    if (c < PROSE_BREAKERS.length && PROSE_BREAKERS[c]
                            && (c != '.' || (i >= 3 && isW(content.charAt(i - 1)) && isW(content.charAt(i - 2))
                                    && isW(content.charAt(i - 3))))) {
                        return false;
                    }
                }
            }
            return true;
        }

        private static boolean isW(char c) {
            return c == 'w' || c == 'W';
        }
    }

    /** The ASCII characters after which text may not be plain prose ({@code .} only after {@code www}). */
    private static final boolean[] PROSE_BREAKERS = new boolean[128];

    static {
        for (char c : "[]`<\\@:.!&".toCharArray()) {
            PROSE_BREAKERS[c] = true;
        }
    }

    private static boolean isAsciiPunctuation(char c) {
        return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
    }
}
