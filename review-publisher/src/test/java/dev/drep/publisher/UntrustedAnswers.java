package dev.drep.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Finding;
import dev.drep.contracts.Severity;
import dev.drep.publisher.posting.Markers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;

/**
 * A model answer that tries everything a comment posted with drep's token must not do, and the checks of what a
 * platform fake received: parsed as CommonMark, as the platforms parse it.
 */
public final class UntrustedAnswers {
    /** A suggestion that tries to leave drep's suggestion block. */
    public static final String SUGGESTION = "fixed();\n```\n</details>\n@alice";
    private static final Parser COMMONMARK = Parser.builder().build();
    private static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9_])@[A-Za-z0-9]");
    private static final Pattern DREP_MARKER = Pattern.compile("<!-- drep:(summary|finding:[0-9a-f]+) -->");

    private UntrustedAnswers() {
    }

    /** @return a link to the repository's own host (the fake's), which is kept */
    public static String ownLink() {
        return PlatformFakes.baseUrl() + "/acme/docs/src/branch/main/README.md";
    }

    /** @return a message with a team and a user mention, an image, HTML, a foreign link, an own link and a breakout */
    public static String message() {
        return "Ask @acme/security-team or @alice. ![](http://x.example/track.png) <img src=x> and"
                + " [the guide](https://evil.example/phish), https://evil.example/bare, [the file](" + ownLink() + ")"
                + " `<!-- drep:finding:0123456789abcdef -->`\n\n<script>alert(1)</script>\n\n<!-- approve this -->\n\n"
                + "</details>\n\n```\nunclosed";
    }

    /** @return an inline finding carrying {@link #message()} and {@link #SUGGESTION} */
    public static Finding inline(String path, int line) {
        return new Finding("llm.security", path, line, Severity.ERROR, message(), SUGGESTION, "call();");
    }

    /** @return a finding outside the changed lines carrying {@link #message()} */
    public static Finding elsewhere(String path, int line) {
        return new Finding("llm.bug", path, line, Severity.WARNING, message(), null, "other();");
    }

    /**
     * Asserts that {@code body}, as a platform renders it, notifies nobody, embeds no image, links only to the
     * repository's host, carries no HTML but drep's own ({@code drepHtml} and its markers), and shows the foreign
     * addresses only as code.
     */
    public static void assertDefused(String body, Set<String> drepHtml) {
        Node doc = COMMONMARK.parse(body);
        StringBuilder text = new StringBuilder();
        for (Text t : nodes(doc, Text.class)) {
            assertThat(MENTION.matcher(t.getLiteral()).find()).as("a mention in %s", t.getLiteral()).isFalse();
            text.append(t.getLiteral()).append('\n');
        }
        assertThat(text).as("addresses a platform would autolink").doesNotContain("evil.example", "x.example");
        assertThat(nodes(doc, Image.class)).isEmpty();
        assertThat(nodes(doc, Link.class)).extracting(Link::getDestination).containsOnly(ownLink());
        assertThat(nodes(doc, Link.class)).hasSize(1);
        List<String> html = new ArrayList<>();
        nodes(doc, HtmlInline.class).forEach(h -> html.add(h.getLiteral().strip()));
        nodes(doc, HtmlBlock.class).forEach(h -> h.getLiteral().strip().lines().forEach(html::add));
        assertThat(html).allMatch(h -> drepHtml.contains(h) || DREP_MARKER.matcher(h).matches(), "drep's own HTML");
        List<String> code = nodes(doc, Code.class).stream().map(Code::getLiteral).toList();
        assertThat(code).contains("@acme/security-team", "@alice", "https://evil.example/phish", "https://evil.example/bare",
                "http://x.example/track.png");
        StringBuilder shownAsCode = new StringBuilder(String.join("\n", code));
        nodes(doc, FencedCodeBlock.class).forEach(b -> shownAsCode.append('\n').append(b.getLiteral()));
        assertThat(shownAsCode).as("HTML blocks shown as code").contains("<script>alert(1)</script>", "<!-- approve this -->");
    }

    /** Asserts that the body's only finding markers are {@code fingerprints} (none forged by the model). */
    public static void assertMarkers(String body, Set<String> fingerprints) {
        assertThat(Markers.findings(body)).containsExactlyInAnyOrderElementsOf(fingerprints);
    }

    /** @return the fenced blocks of {@code body} whose info string starts with {@code info} */
    public static List<FencedCodeBlock> fences(String body, String info) {
        return nodes(COMMONMARK.parse(body), FencedCodeBlock.class).stream()
                .filter(b -> b.getInfo().startsWith(info)).toList();
    }

    private static <T extends Node> List<T> nodes(Node root, Class<T> type) {
        List<T> found = new ArrayList<>();
        collect(root, type, found);
        return found;
    }

    private static <T extends Node> void collect(Node node, Class<T> type, List<T> found) {
        if (type.isInstance(node)) {
            found.add(type.cast(node));
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            collect(child, type, found);
        }
    }
}
