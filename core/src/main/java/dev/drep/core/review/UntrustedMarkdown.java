package dev.drep.core.review;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.autolink.AutolinkType;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.markdown.MarkdownRenderer;

/**
 * Text a model wrote, made safe to post with drep's token on a pull request or issue. The text is parsed as
 * CommonMark (with the bare-URL autolinks GitHub, GitLab and Gitea add), the syntax tree is rewritten, and the
 * tree is rendered back to markdown, so whatever the model wrote comes back as complete blocks that cannot
 * reach into the comment drep builds around them:
 *
 * <ul>
 *   <li><b>Mentions</b> ({@code @user}, {@code @org/team}, {@code @group/subgroup}) in text become code spans:
 *       shown as written, notifying nobody (no platform turns a code span into a mention). Mentions spelled as
 *       HTML entities ({@code &#64;user}) are caught too: the parser decodes them first.</li>
 *   <li><b>Images</b> are never embedded (an image is a request to any server, with the reader's address): the
 *       alt text stays, the address is shown as code.</li>
 *   <li><b>Links</b> stay links only when relative or to one of the repository's own hosts; any other link,
 *       bare URL, {@code www.} address, e-mail address or scheme ({@code javascript:}, {@code mailto:}) is shown as
 *       its text followed by the address as code, which no platform makes clickable.</li>
 *   <li><b>Raw HTML</b> (tags, comments, {@code <details>}, {@code <script>}) is escaped: inline it shows as text,
 *       an HTML block becomes a code block.</li>
 *   <li><b>Structure</b>: code fences the model opened are closed, indented code becomes fenced code, fences are
 *       longer than any backtick run inside, link reference definitions are dropped (their links are resolved
 *       first), and drep's hidden markers ({@code <!-- drep:...}) cannot be forged in code.</li>
 *   <li>Bidirectional and other control characters are removed from the text.</li>
 * </ul>
 * Code the model quotes (code spans and blocks) is kept as written apart from forged markers: a platform renders
 * neither mentions nor HTML inside code.
 *
 * <p>Thread-safe; the parser and renderer hold no state between calls.
 */
public final class UntrustedMarkdown {
    private static final Parser PARSER = Parser.builder()
            .extensions(List.of(AutolinkExtension.builder()
                    .linkTypes(EnumSet.of(AutolinkType.URL, AutolinkType.WWW, AutolinkType.EMAIL)).build()))
            .build();
    private static final MarkdownRenderer RENDERER = MarkdownRenderer.builder().build();
    /** What GitHub, GitLab and Gitea read as a mention: @name or @org/team, not preceded by a word character. */
    private static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9_])@[A-Za-z0-9_][A-Za-z0-9_.\\-/]*");
    /** The start of one of drep's hidden markers, which nothing the model writes may carry. */
    private static final Pattern MARKER = Pattern.compile("<!--(?=\\s*drep:)");
    private static final Pattern BIDI = Pattern.compile("[\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C]");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");
    private static final String WORD_JOINER = "\u2060";

    private final Set<String> ownHosts;

    /**
     * @param ownHosts the hosts links may point to (the repository's web and API hosts), any case; empty: only
     *                 relative links stay links
     */
    public UntrustedMarkdown(Collection<String> ownHosts) {
        Set<String> hosts = new TreeSet<>();
        for (String host : ownHosts) {
            if (host != null && !host.isBlank()) {
                hosts.add(host.strip().toLowerCase(Locale.ROOT));
            }
        }
        this.ownHosts = Set.copyOf(hosts);
    }

    /** @return the hosts links may point to, lower case */
    public Set<String> ownHosts() {
        return ownHosts;
    }

    /**
     * @return {@code text} as safe markdown blocks (no trailing line break); empty for null or blank. A result
     *         without a line break is one paragraph-like line that may follow drep's own text on the same line.
     */
    public String block(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        Node document = PARSER.parse(clean(text));
        rewrite(document, false);
        return RENDERER.render(document).stripTrailing();
    }

    /** @return {@code text} as safe markdown on one line (block structure flattened), for list items and table cells */
    public String line(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        Node document = PARSER.parse(clean(text));
        rewrite(document, true);
        return MarkdownText.oneLine(RENDERER.render(document)).strip();
    }

    /**
     * @return {@code text} for places the platform shows as plain text (issue titles, status descriptions): on one
     *         line, without control characters, a word joiner after each mention's {@code @} so that it notifies
     *         nobody
     */
    public static String plain(String text) {
        if (text == null) {
            return "";
        }
        String one = MarkdownText.oneLine(clean(text)).strip();
        return MENTION.matcher(one).replaceAll(m -> Matcher.quoteReplacement("@" + WORD_JOINER + m.group().substring(1)));
    }

    /**
     * Whether a suggested replacement may be offered for one-click application. drep fences it (a fence longer
     * than any backtick run in it, so it cannot end the block) and the platform applies it to exactly the lines
     * drep names, so its text is kept byte for byte, with two exceptions that would mislead whoever applies it:
     * bidirectional or other control characters (code that reads differently from how it runs), and drep's own
     * hidden markers.
     *
     * @return why the suggestion must not be offered, or empty when it may
     */
    public static Optional<String> suggestionProblem(String suggestion) {
        if (suggestion == null) {
            return Optional.empty();
        }
        if (BIDI.matcher(suggestion).find()) {
            return Optional.of("it contains invisible bidirectional control characters");
        }
        if (CONTROL.matcher(suggestion).find()) {
            return Optional.of("it contains control characters");
        }
        if (MARKER.matcher(suggestion).find()) {
            return Optional.of("it contains one of drep's hidden markers");
        }
        return Optional.empty();
    }

    private static String clean(String text) {
        return CONTROL.matcher(BIDI.matcher(text).replaceAll("")).replaceAll("");
    }

    private void rewrite(Node document, boolean oneLine) {
        List<Node> all = new ArrayList<>();
        collect(document, all);
        for (Node node : all) {
            if (node instanceof LinkReferenceDefinition) {
                node.unlink();
            } else if (node instanceof HtmlInline html) {
                replace(html, new Text(html.getLiteral()));
            } else if (node instanceof HtmlBlock html) {
                replace(html, oneLine ? paragraphOf(new Code(unmarked(html.getLiteral()))) : fenced(html.getLiteral(), ""));
            } else if (node instanceof IndentedCodeBlock code) {
                replace(code, oneLine ? paragraphOf(new Code(unmarked(code.getLiteral()))) : fenced(code.getLiteral(), ""));
            } else if (node instanceof FencedCodeBlock code) {
                replace(code, oneLine ? paragraphOf(new Code(unmarked(code.getLiteral())))
                        : fenced(code.getLiteral(), code.getInfo()));
            } else if (node instanceof Code code) {
                code.setLiteral(unmarked(code.getLiteral()));
            } else if (node instanceof Image image) {
                image(image);
            } else if (node instanceof Link link && !ownLink(link.getDestination())) {
                foreignLink(link);
            }
        }
        // mentions last: text moved out of links and images is covered too
        List<Node> texts = new ArrayList<>();
        collect(document, texts);
        for (Node node : texts) {
            if (node instanceof Text text) {
                mentions(text);
            }
        }
    }

    private static void collect(Node node, List<Node> into) {
        into.add(node);
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            collect(child, into);
        }
    }

    private static void replace(Node old, Node with) {
        old.insertBefore(with);
        old.unlink();
    }

    private static Paragraph paragraphOf(Node inline) {
        Paragraph paragraph = new Paragraph();
        paragraph.appendChild(inline);
        return paragraph;
    }

    private static FencedCodeBlock fenced(String literal, String info) {
        String content = unmarked(literal == null ? "" : literal);
        FencedCodeBlock block = new FencedCodeBlock();
        block.setFenceCharacter("`");
        int fence = Math.max(3, MarkdownText.longestRun(content, '`') + 1);
        block.setOpeningFenceLength(fence);
        block.setClosingFenceLength(fence);
        // an info string may hold no backtick when the fence is backticks
        block.setInfo(info == null ? "" : info.replace("`", "").strip());
        block.setLiteral(content.endsWith("\n") || content.isEmpty() ? content : content + "\n");
        return block;
    }

    private static String unmarked(String literal) {
        return literal == null ? "" : MARKER.matcher(literal).replaceAll("<!" + WORD_JOINER + "--");
    }

    /** An image becomes its alt text and its address as code: "alt (image not shown: `url`)". */
    private static void image(Image image) {
        Node parent = image.getParent();
        if (parent == null) {
            return;
        }
        boolean alt = image.getFirstChild() != null;
        while (image.getFirstChild() != null) {
            image.insertBefore(image.getFirstChild());
        }
        String address = image.getDestination() == null ? "" : image.getDestination().strip();
        image.insertBefore(new Text((alt ? " " : "") + "(image not shown" + (address.isEmpty() ? ")" : ": ")));
        if (!address.isEmpty()) {
            image.insertBefore(new Code(unmarked(address)));
            image.insertBefore(new Text(")"));
        }
        image.unlink();
    }

    /** A link elsewhere becomes its text, then its address as code; a bare URL or address becomes just the code. */
    private static void foreignLink(Link link) {
        String address = link.getDestination() == null ? "" : link.getDestination().strip();
        String shown = plainText(link);
        if (shown.equals(address) || address.equals("http://" + shown) || address.equals("mailto:" + shown)
                || address.isEmpty()) {
            replace(link, new Code(unmarked(shown.isEmpty() ? address : shown)));
            return;
        }
        while (link.getFirstChild() != null) {
            link.insertBefore(link.getFirstChild());
        }
        link.insertBefore(new Text(" ("));
        link.insertBefore(new Code(unmarked(address)));
        link.insertBefore(new Text(")"));
        link.unlink();
    }

    private static String plainText(Node node) {
        StringBuilder text = new StringBuilder();
        List<Node> all = new ArrayList<>();
        collect(node, all);
        for (Node n : all) {
            if (n instanceof Text t) {
                text.append(t.getLiteral());
            } else if (n instanceof Code c) {
                text.append(c.getLiteral());
            }
        }
        return text.toString();
    }

    /** @return true for a relative link (same host) or an http(s) link to one of the repository's hosts */
    boolean ownLink(String destination) {
        String address = destination == null ? "" : destination.strip();
        if (address.isEmpty() || address.startsWith("#")) {
            return true;
        }
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getScheme() == null) {
            return uri.getRawAuthority() == null;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null
                && ownHosts.contains(uri.getHost().toLowerCase(Locale.ROOT));
    }

    /** Splits a text node around its mentions, each mention becoming a code span. */
    private static void mentions(Text text) {
        String literal = text.getLiteral();
        Matcher m = MENTION.matcher(literal);
        if (!m.find()) {
            return;
        }
        int from = 0;
        do {
            String mention = m.group().replaceAll("[./\\-]+$", "");
            if (m.start() > from) {
                text.insertBefore(new Text(literal.substring(from, m.start())));
            }
            text.insertBefore(new Code(mention));
            from = m.start() + mention.length();
        } while (m.find());
        if (from < literal.length()) {
            text.insertBefore(new Text(literal.substring(from)));
        }
        text.unlink();
    }
}
