package dev.drep.core.markdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.drep.contracts.Finding;
import dev.drep.contracts.Severity;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of cases per rule. Every case asserts the complete list of findings as {@code rule:line},
 * so a case also proves that no other rule fires on its text.
 */
class MarkdownAnalyzerTest {

    private final MarkdownAnalyzer analyzer = new MarkdownAnalyzer();

    private List<String> ruleLines(String content) {
        return analyzer.analyze("docs/guide.md", content).stream().map(f -> f.rule() + ":" + f.line()).toList();
    }

    private Finding single(String content) {
        List<Finding> findings = analyzer.analyze("docs/guide.md", content);
        assertThat(findings).hasSize(1);
        return findings.get(0);
    }

    private static Arguments row(String name, String content, String... expected) {
        return arguments(name, content, Arrays.asList(expected));
    }

    /** Words of four letters and a space, cut to {@code n} characters. */
    private static String words(int n) {
        return "word ".repeat(n / 5 + 1).substring(0, n - 1) + "x";
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    // ---- md.trailing-whitespace ----

    static Stream<Arguments> trailingWhitespace() {
        return Stream.of(
                row("clean line", "text\n"),
                row("one space at end", "text \n", "md.trailing-whitespace:1"),
                row("two spaces at the end are a hard line break", "text  \nmore\n"),
                row("three spaces at end", "text   \n", "md.trailing-whitespace:1"),
                row("tab at end counts as trailing whitespace and tab", "text\t\n", "md.trailing-whitespace:1", "md.tab:1"),
                row("second line", "one\ntwo \nthree\n", "md.trailing-whitespace:2"),
                row("CRLF line ending is not whitespace", "one\r\ntwo\r\n"),
                row("CRLF with spaces before it", "one \r\ntwo\r\n", "md.trailing-whitespace:1"),
                row("last line without newline", "one\ntwo   ", "md.trailing-whitespace:2"),
                row("whitespace-only line", "one\n   \ntwo\n", "md.trailing-whitespace:2"),
                row("inside a fence it is the code's business", "```\ncode   \n```\n"),
                row("inside indented code too", "text\n\n    code   \n"),
                row("inside an HTML comment it is hidden", "<!--\nnote   \n-->\n"),
                row("inside front matter it is metadata", "---\ntitle: x \n---\n\ntext\n"),
                row("on the fence line", "```java \ncode\n```\n", "md.trailing-whitespace:1"),
                row("leading spaces are fine", "    indented\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trailingWhitespace")
    void trailingWhitespace(String name, String content, List<String> expected) {
        assertThat(ruleLines(content)).containsExactlyElementsOf(expected);
    }

    @Test
    void trailingWhitespaceSuggestsTheStrippedLine() {
        Finding finding = single("Some text.   \n");
        assertThat(finding.rule()).isEqualTo("md.trailing-whitespace");
        assertThat(finding.severity()).isEqualTo(Severity.INFO);
        assertThat(finding.suggestion()).isEqualTo("Some text.");
        assertThat(finding.message()).contains("3 whitespace characters");
        assertThat(finding.path()).isEqualTo("docs/guide.md");
    }

    // ---- md.tab ----

    static Stream<Arguments> tab() {
        return Stream.of(
                row("no tab", "a b\n"),
                row("tab between words", "a\tb\n", "md.tab:1"),
                row("leading tab makes indented code", "\titem\n"),
                row("leading tab in a list item", "- a\n\tb\n", "md.tab:2"),
                row("tab inside inline code is the code's business", "use `a\tb` here\n"),
                row("tab inside a link destination (which makes it no link)", "[a](b\tc)\n", "md.tab:1",
                        "md.unbalanced-brackets:1"),
                row("tab inside a fence is allowed (Makefiles, Go)", "```make\nall:\n\tgo build\n```\n"),
                row("tab on the fence line is not code", "```make\tfile\nall:\n```\n", "md.tab:1"),
                row("tab inside an HTML comment is hidden", "<!-- a\tb -->\n"),
                row("tab in a whitespace-only line", "a\n\t\nb\n", "md.trailing-whitespace:2", "md.tab:2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tab")
    void tab(String name, String content, List<String> expected) {
        assertThat(ruleLines(content)).containsExactlyElementsOf(expected);
    }

    @Test
    void tabSuggestionExpandsToTheNextTabStop() {
        Finding finding = single("ab\tc\td\n");
        assertThat(finding.rule()).isEqualTo("md.tab");
        assertThat(finding.suggestion()).isEqualTo("ab  c   d");
    }

    @Test
    void everyMechanicalSuggestionOfALineFixesTheWholeLine() {
        List<Finding> findings = analyzer.analyze("a.md", "##Title\twith tab \n");
        assertThat(findings).extracting(Finding::rule)
                .containsExactly("md.trailing-whitespace", "md.tab", "md.heading-space");
        assertThat(findings).extracting(Finding::suggestion).containsOnly("## Title with tab");
    }

    // ---- md.empty-heading ----

    static Stream<Arguments> emptyHeading() {
        return Stream.of(
                row("heading with text", "# Title\n"),
                row("single hash", "#\n", "md.empty-heading:1"),
                row("six hashes", "######\n", "md.empty-heading:1"),
                row("seven hashes is not a heading", "#######\n"),
                row("hashes and a space", "## \n", "md.trailing-whitespace:1", "md.empty-heading:1"),
                row("CRLF", "text\r\n###\r\n", "md.empty-heading:2"),
                row("inside a fence", "```bash\n#\n```\n"),
                row("indented up to three spaces is a heading", "  #\n", "md.empty-heading:1"),
                row("in an HTML block", "<div>\n#\n</div>\n"),
                row("in a list item", "- #\n", "md.empty-heading:1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyHeading")
    void emptyHeading(String name, String content, List<String> expected) {
        assertThat(ruleLines(content)).containsExactlyElementsOf(expected);
    }

    // ---- md.heading-space ----

    static Stream<Arguments> headingSpace() {
        return Stream.of(
                row("space present", "## Title\n"),
                row("missing after one hash", "#Title\n", "md.heading-space:1"),
                row("missing after three hashes", "###Title\n", "md.heading-space:1"),
                row("seven hashes and text (markdownlint flags it too)", "#######Title\n", "md.heading-space:1"),
                row("closed heading is not this rule's business", "#Title#\n"),
                row("in an HTML comment", "<!--\n#Title\n-->\n"),
                row("in an HTML block", "<div>\n#Title\n</div>\n"),
                row("in indented code", "text\n\n    #Title\n"),
                row("after front matter", "---\ntitle: x\n---\n#Title\n", "md.heading-space:4"),
                row("tab after the hashes is a separator", "#\tTitle\n", "md.tab:1"),
                row("shell comment in a fence", "```sh\n#!/bin/sh\n#comment\n```\n"),
                row("tilde fence", "~~~\n#comment\n~~~\n"),
                row("on a later line", "text\n#Title\n", "md.heading-space:2"),
                row("after a byte order mark", "\uFEFF#Title\n", "md.heading-space:1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headingSpace")
    void headingSpace(String name, String content, List<String> expected) {
        assertThat(ruleLines(content)).containsExactlyElementsOf(expected);
    }

    @Test
    void headingSpaceSuggestsTheSpacedHeading() {
        Finding finding = single("###Install\n");
        assertThat(finding.suggestion()).isEqualTo("### Install");
        assertThat(finding.message()).contains("`###`");
    }

    // ---- md.line-length ----

    static Stream<Arguments> lineLength() {
        return Stream.of(
                row("exactly 120", words(120) + "\n"),
                row("121", words(121) + "\n", "md.line-length:1"),
                row("121 with CRLF", "x\r\n" + words(121) + "\r\n", "md.line-length:2"),
                row("one long word cannot be wrapped", repeat('a', 200) + "\n"),
                row("the last word may cross the limit when it starts within it",
                        repeat('a', 100) + " " + repeat('b', 100) + "\n"),
                row("120 code points of astral characters (179 chars)", "😀 ".repeat(59) + "😀x\n"),
                row("121 code points of astral characters", "😀 ".repeat(60) + "x\n", "md.line-length:1"),
                row("inside a fence too", "```\n" + words(130) + "\n```\n", "md.line-length:2"),
                row("in a table too", "| a | b |\n| - | - |\n| x | " + words(130) + " |\n", "md.line-length:3"),
                row("a link reference definition is not checked", "[id]: https://example.com/" + repeat('a', 100)
                        + " \"a title with words\"\n"),
                row("a line of links only is not checked", "[" + words(100) + "](https://example.com/x)"
                        + "[b](https://example.com/y)\n"),
                row("last line without newline", "x\n" + words(125), "md.line-length:2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lineLength")
    void lineLength(String name, String content, List<String> expected) {
        assertThat(ruleLines(content)).containsExactlyElementsOf(expected);
    }

    @Test
    void lineLengthSaysHowLongAndTheLimit() {
        Finding finding = single(words(134) + "\n");
        assertThat(finding.message()).startsWith("line is 134 characters long (limit 120)");
        assertThat(finding.suggestion()).isNull();
    }

    // ---- md.blank-lines ----

    static Stream<Arguments> blankLines() {
        return Stream.of(
                row("two blank lines are fine", "a\n\n\nb\n"),
                row("three blank lines: the third is reported", "a\n\n\n\nb\n", "md.blank-lines:4"),
                row("five blank lines give one finding", "a\n\n\n\n\n\nb\n", "md.blank-lines:4"),
                row("whitespace-only lines are blank", "a\n\n \n\nb\n", "md.trailing-whitespace:3", "md.blank-lines:4"),
                row("two separate runs", "a\n\n\n\nb\n\n\n\nc\n", "md.blank-lines:4", "md.blank-lines:8"),
                row("CRLF", "a\r\n\r\n\r\n\r\nb\r\n", "md.blank-lines:4"),
                row("blank lines inside a fence are the code's business", "```\na\n\n\n\nb\n```\n"),
                row("blank lines inside an HTML comment count", "<!--\n\n\n\n-->\n", "md.blank-lines:4"),
                row("blank lines at the start", "\n\n\na\n", "md.blank-lines:3"),
                row("run at the end of the file", "a\n\n\n\n", "md.blank-lines:4", "md.trailing-blank-line:4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blankLines")
    void blankLines(String name, String content, List<String> expected) {
        assertThat(ruleLines(content)).containsExactlyElementsOf(expected);
    }

    // ---- md.trailing-blank-line ----

    static Stream<Arguments> trailingBlankLine() {
        return Stream.of(
                row("single final newline", "a\n"),
                row("no final newline", "a"),
                row("empty file", ""),
                row("only a newline", "\n"),
                row("one blank line at the end", "a\n\n", "md.trailing-blank-line:2"),
                row("CRLF blank line at the end", "a\r\n\r\n", "md.trailing-blank-line:2"),
                row("two newlines only", "\n\n", "md.trailing-blank-line:2"),
                row("two blank lines at the end", "a\n\n\n", "md.trailing-blank-line:3"),
                row("whitespace-only last line without newline is trailing whitespace", "a\n   ",
                        "md.trailing-whitespace:2"),
                row("after a closed fence", "```\nx\n```\n\n", "md.trailing-blank-line:4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trailingBlankLine")
    void trailingBlankLine(String name, String content, List<String> expected) {
        assertThat(ruleLines(content)).containsExactlyElementsOf(expected);
    }

    // ---- md.bare-url ----

    static Stream<Arguments> bareUrl() {
        return Stream.of(
                row("bare https URL", "See https://example.com for more.\n", "md.bare-url:1"),
                row("bare http URL at line start", "http://example.com\n", "md.bare-url:1"),
                row("upper-case scheme", "HTTPS://EXAMPLE.COM\n", "md.bare-url:1"),
                row("URL in parentheses is still bare", "(see https://example.com)\n", "md.bare-url:1"),
                row("link destination", "[docs](https://example.com/docs)\n"),
                row("link text and destination", "[https://example.com](https://example.com)\n"),
                row("destination with nested parentheses", "[Foo](https://en.wikipedia.org/wiki/Foo_(bar)) end\n"),
                row("image", "![logo](https://example.com/logo.png)\n"),
                row("badge: image inside a link", "[![build](https://ci.example.com/b.svg)](https://ci.example.com)\n"),
                row("autolink", "<https://example.com>\n"),
                row("HTML attribute", "<a href=\"https://example.com\">site</a>\n"),
                row("inline code", "run `curl https://example.com` now\n"),
                row("double-backtick inline code", "run ``curl `x` https://example.com`` now\n"),
                row("reference definition", "[docs]: https://example.com/docs \"Docs\"\n"),
                row("inside a fence", "```\ncurl https://example.com\n```\n"),
                row("inside a tilde fence", "~~~\nhttps://example.com\n~~~\n"),
                row("after the fence closes", "```\nx\n```\nhttps://example.com\n", "md.bare-url:4"),
                row("word that merely contains http", "the xhttp://y and shttp proto\n"),
                row("scheme without host", "write http:// before the host\n"),
                row("unclosed backtick does not hide the URL", "a ` https://example.com\n", "md.bare-url:1"),
                row("escaped backtick does not open code", "\\` https://example.com `\n", "md.bare-url:1"),
                row("two bare URLs on a line give one finding", "https://a.example https://b.example\n", "md.bare-url:1"),
                row("www address", "go to www.example.com today\n", "md.bare-url:1"),
                row("e-mail address", "write to support@example.com\n", "md.bare-url:1"),
                row("e-mail autolink", "write to <support@example.com>\n"),
                row("URL in an HTML comment", "<!-- https://example.com -->\n"),
                row("URL in a multi-line HTML comment", "text\n\n<!--\nTODO https://example.com\n-->\n"),
                row("URL in an inline HTML comment", "a <!-- https://example.com --> b\n"),
                row("URL in an HTML block", "<div>\nhttps://example.com\n</div>\n"),
                row("URL between inline HTML tags", "a <b>https://example.com</b> c\n"),
                row("URL in indented code", "text\n\n    https://example.com\n"),
                row("URL after an unclosed bracket is link text in the making", "see [the https://example.com\n"),
                row("URL in front matter", "---\nurl: https://example.com\n---\n\ntext\n"),
                row("URL in link text wrapped over two lines", "[the\nhttps://example.com](https://example.com)\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bareUrl")
    void bareUrl(String name, String content, List<String> expected) {
        assertThat(ruleLines(content)).containsExactlyElementsOf(expected);
    }

    @Test
    void bareUrlMessageNamesTheUrlWithoutTrailingPunctuation() {
        Finding finding = single("Read https://example.com/a_(b)/c). Then go.\n");
        assertThat(finding.message()).isEqualTo("bare URL `https://example.com/a_(b)/c`: write it as "
                + "`<https://example.com/a_(b)/c>` or `[text](https://example.com/a_(b)/c)`");
        assertThat(finding.severity()).isEqualTo(Severity.INFO);
        assertThat(finding.suggestion()).isNull();
    }

    // ---- md.unbalanced-brackets ----

    static Stream<Arguments> unbalancedBrackets() {
        return Stream.of(
                row("balanced link", "a [b](c) d\n"),
                row("reference link", "a [b][c] d\n\n[c]: https://example.com\n"),
                row("task list", "- [ ] todo\n- [x] done\n"),
                row("footnote", "text[^1]\n"),
                row("destination without its closing parenthesis: one finding for one mistake (the URL, which then "
                        + "shows bare, is named by it)", "[docs](https://example.com/docs\n", "md.unbalanced-brackets:1"),
                row("a bare URL after a broken link's destination is still bare",
                        "[docs](https://example.com/docs and https://example.org/more\n", "md.bare-url:1",
                        "md.unbalanced-brackets:1"),
                row("image without its closing parenthesis", "![logo](logo.png\n", "md.unbalanced-brackets:1"),
                row("destination with a space", "[docs](my docs.md) here\n", "md.unbalanced-brackets:1"),
                row("escaped brackets are text", "a \\[ b \\] c \\[x\\](y) \\[\n"),
                row("link text wrapped over two lines", "see [the long\nlink text](https://example.com) here\n"),
                row("link text wrapped over three lines in a list item",
                        "- see [the\n  long link\n  text](https://example.com)\n"),
                row("destination on the next line", "[text](\nhttps://example.com)\n"),
                row("a lone bracket in prose is not a link attempt", "see the docs] here [and\n"),
                row("plain parentheses in prose are not link syntax", "1) first (a) b) c :)\n"),
                row("brackets in inline code", "use `a[0](` and `]`\n"),
                row("brackets in a fence", "```\nx = a[0](1\n```\n"),
                row("brackets in an HTML comment", "<!-- [a](b -->\n"),
                row("brackets in an HTML block", "<div>\n[a](b\n</div>\n"),
                row("bracket inside an autolink", "<https://example.com/a[0>\n"),
                row("brackets inside a link destination", "[a](https://example.com/?q[0]=1)\n"),
                row("nested brackets", "[a [b] c](d)\n"),
                row("on the second line", "ok\n[broken](x\n", "md.unbalanced-brackets:2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unbalancedBrackets")
    void unbalancedBrackets(String name, String content, List<String> expected) {
        assertThat(ruleLines(content)).containsExactlyElementsOf(expected);
    }

    @Test
    void brokenLinkSyntaxIsAWarningNamingTheColumnAndTheCause() {
        Finding unclosed = single("see [docs](docs/index.md\n");
        assertThat(unclosed.severity()).isEqualTo(Severity.WARNING);
        assertThat(unclosed.message()).isEqualTo("`](` at column 10 starts a link destination that is never closed, "
                + "so the link shows as plain text: add the `)`");
        assertThat(single("[a](b c) d\n").message()).startsWith("`](` at column 3 starts a link destination that is "
                + "not valid");
        assertThat(single("😀 [a](b\n").message()).as("columns count code points")
                .startsWith("`](` at column 5 ");
    }

    // ---- md.unclosed-fence ----

    static Stream<Arguments> unclosedFence() {
        return Stream.of(
                row("closed backtick fence", "```java\nint x;\n```\n"),
                row("closed tilde fence", "~~~\nx\n~~~\n"),
                row("unclosed backtick fence", "text\n```java\nint x;\n", "md.unclosed-fence:2"),
                row("unclosed tilde fence", "~~~\nx\n", "md.unclosed-fence:1"),
                row("tildes do not close backticks", "```\nx\n~~~\n", "md.unclosed-fence:1"),
                row("shorter run does not close", "````\nx\n```\n", "md.unclosed-fence:1"),
                row("longer run closes", "```\nx\n`````\n"),
                row("closing run with text is code", "```\nx\n``` y\n", "md.unclosed-fence:1"),
                row("indented fence in a list item", "1. step\n\n   ```sh\n   make\n   ```\n"),
                row("fence in a blockquote", "> ```\n> #x https://example.com\n> ```\n"),
                row("CRLF fence", "```\r\nx\r\n```\r\n"),
                row("backticks with a backtick in the info string are inline code", "```a`b```\n"),
                row("two backticks are not a fence", "``\n#x\n", "md.heading-space:2"),
                row("second fence unclosed", "```\na\n```\ntext\n```\nb\n", "md.unclosed-fence:5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unclosedFence")
    void unclosedFence(String name, String content, List<String> expected) {
        assertThat(ruleLines(content)).containsExactlyElementsOf(expected);
    }

    @Test
    void unclosedFenceIsAWarningOnTheOpeningLineSortedAmongOtherFindings() {
        List<Finding> findings = analyzer.analyze("a.md", "#Title\n~~~~\ncode\n");
        assertThat(findings).extracting(f -> f.rule() + ":" + f.line())
                .containsExactly("md.heading-space:1", "md.unclosed-fence:2");
        assertThat(findings.get(1).severity()).isEqualTo(Severity.WARNING);
        assertThat(findings.get(1).message()).isEqualTo("code fence of 4 tildes opened on this line is never closed, "
                + "so the rest of the file renders as code: add a closing line of at least 4 tildes");
    }

    // ---- whole files ----

    @Test
    void cleanDocumentHasNoFindings() {
        String doc = """
                # Title

                Some text with a [link](https://example.com) and `code`.

                ## Usage

                ```bash
                curl https://example.com/api
                ```

                - item one
                - item two <https://example.com>

                [ref]: https://example.com/ref
                """;
        assertThat(analyzer.analyze("README.md", doc)).isEmpty();
    }

    @Test
    void lineNumbersAreTheSameForLfAndCrlf() {
        String lf = "# Title\n\ntext \n\n\n\n#Bad\nhttps://example.com\n";
        String crlf = lf.replace("\n", "\r\n");
        assertThat(ruleLines(crlf)).isEqualTo(ruleLines(lf)).containsExactly(
                "md.trailing-whitespace:3", "md.blank-lines:6", "md.heading-space:7", "md.bare-url:8");
    }
}
