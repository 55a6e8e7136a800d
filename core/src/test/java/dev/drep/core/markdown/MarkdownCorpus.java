package dev.drep.core.markdown;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Markdown for the oracle test: fragments of the kinds real documentation is made of (and the mistakes it
 * carries), joined at random into documents, plus a few whole hand-written files.
 */
final class MarkdownCorpus {
    private static final String LONG_PROSE = "The analyzer reads each changed file, parses it once and reports what it "
            + "finds on the lines the pull request touched, never on the others, so reviews stay short.";
    private static final String LONG_URL = "https://docs.example.com/guides/configuration/reference/analyzers/markdown/"
            + "rules/line-length/why-lines-are-wrapped-at-one-hundred-and-twenty-characters";

    /** Fragments: each a block of lines (without line endings). */
    private static final List<String[]> FRAGMENTS = List.of(
            lines("# Title"),
            lines("## Section two", "", "Text under the section."),
            lines("#Missing space after the hash"),
            lines("##Also missing", "", "text"),
            lines("#123 is an issue number at the start of a line"),
            lines("####### seven hashes, not a heading"),
            lines("# Closed heading #"),
            lines("#hashtag at the start and the end #"),
            lines("Paragraph line", "#continuation that starts with a hash"),
            lines("Hard break at the end of this line  ", "and the paragraph goes on."),
            lines("One trailing space here ", "three trailing spaces   "),
            lines("Trailing tab\t", "two trailing tabs\t\t"),
            lines("A\ttab between words and another\there."),
            lines("- item with\ta tab", "  - nested item with trailing spaces   ", "    - deeper https://example.com/nested"),
            lines("1. first", "   1. nested first  ", "   2. nested second\twith tab", "2. second"),
            lines("Run `curl\thttps://example.com/in-code` to fetch it, or ``a ` b https://x.example`` too."),
            lines("```go", "func main() {", "\tfmt.Println(\"https://golang.example.org\")  ", "}", "```"),
            lines("~~~sh", "#!/bin/sh", "#comment without space", "curl https://example.com/script   ", "", "", "",
                    "echo done", "~~~"),
            lines("```text ", "fence line with a trailing space above", "```"),
            lines("    indented code with trailing spaces   ", "    https://example.com/in/indented/code",
                    "    \ttab in indented code"),
            lines("<!-- https://example.com/hidden-in-a-comment -->"),
            lines("<!--", "TODO: link https://example.com/todo   ", "\ttabbed line in a comment", "#not a heading",
                    "-->"),
            lines("Text with an inline comment <!-- https://example.com/inline --> and more text."),
            lines("Inline comment with trailing spaces <!-- note -->   "),
            lines("<div align=\"center\">", "https://example.com/in-a-div  ", "#not a heading in html", "</div>"),
            lines("<details>", "<summary>More</summary>", "", "https://example.com/after-a-blank-line", "",
                    "</details>"),
            lines("Inline <a href=\"https://example.com/attr\">https://example.com/between-tags</a> html."),
            lines("Before <br> https://example.com/after-a-br tag."),
            lines("| Option | Default |", "| --- | --- |", "| `--url` | https://example.com/in-a-table |",
                    "| [link](https://example.com) | www.example.com |"),
            lines("| Column | Long cell |", "| --- | --- |", "| a | " + LONG_PROSE + " |"),
            lines("| Link | Long |", "| --- | --- |", "| [the guide](" + LONG_URL + ") |"),
            lines("\\[not a link\\] and \\[also not\\](https://example.com/escaped) and \\] alone"),
            lines("See [the link text that", "wraps onto the next line](https://example.com/wrapped) here."),
            lines("A [reference link][ref] and a [collapsed][] one.", "", "[ref]: https://example.com/ref 'Title'",
                    "[collapsed]: <https://example.com/collapsed>"),
            lines("Autolinks: <https://example.com/auto> and <support@example.com>."),
            lines("Visit https://example.com."),
            lines("Or www.example.com/path, or write to support@example.com today."),
            lines("Local http://localhost:8080/health and (https://en.example.org/wiki/Foo_(bar))."),
            lines("Not bare: xhttps://example.com and http:// alone and https://foo_bar.example_test here."),
            lines("*https://example.com/emphasis* and **www.example.org**"),
            lines("[![build](https://ci.example.com/badge.svg)](https://ci.example.com/job/main) "
                    + "[![coverage](https://cov.example.com/badge.svg)](https://cov.example.com/project/main)"),
            lines(LONG_PROSE),
            lines("Short words then a long URL at the end that may cross the limit: " + LONG_URL),
            lines("A long line whose URL " + LONG_URL + " is followed by more words after it"),
            lines("## " + LONG_PROSE),
            lines("[long-definition]: " + LONG_URL + " \"A title that makes the definition line long\""),
            lines("```", LONG_PROSE, "```"),
            lines("> A quote with a bare URL https://example.com/quoted and a trailing space ",
                    "> #not a heading inside a quote"),
            lines("[text](https://example.com/unclosed without its parenthesis"),
            lines("  ", "   ", "line after whitespace-only lines"),
            lines("", "", ""),
            lines("", ""),
            lines("Setext heading", "==============="),
            lines("Term https://example.com/a_b_c and https://sub.example.com/x?y=1&z=2."),
            lines("- [ ] task with https://example.com/task", "- [x] done"),
            lines("see [the docs https://example.com/after-an-open-bracket and more"),
            lines("[a] https://example.com/after-a-closed-bracket and [b][c] www.example.net"),
            lines("Footnote[^1] with https://example.com/footnote.", "", "[^1]: The note https://example.com/note.", "",
                    "Text after the note closes it."),
            lines("1. step", "", "   ```sh", "   make\tall   ", "   ```", "", "2. next  "),
            lines("> ```", "> #inside a quoted fence https://example.com/q  ", "> ```"),
            lines("", "<custom-element>", "https://example.com/in-custom-html", "</custom-element>"),
            lines("<img src=\"https://example.com/a.png\"> https://example.com/after-img"),
            lines("**[" + LONG_PROSE.substring(0, 60) + "](" + LONG_URL + ")**"),
            lines("Mail me at first.last+tag@mail.example.co.uk, not at user@localhost or @handle."),
            lines("Www.Example.com and WWW.EXAMPLE.ORG and www. alone and www.x"),
            lines("The path_with_underscore https://example.com/path_with_underscores_ok/ end"),
            lines("Entities &amp; https://example.com/?a=1&amp;b=2 and &lt;https://example.com/lt&gt;"),
            lines("    "),
            lines("Text", "    indented continuation https://example.com/lazy"),
            lines("* * *", "***", "___"),
            lines("A line with an image ![alt](https://example.com/img.png) and text " + LONG_PROSE),
            lines("[" + LONG_PROSE + "](https://example.com/long-link-text)"));

    /** Whole files written by hand. */
    static final Map<String, String> HAND_WRITTEN = Map.of(
            "front-matter.md", """
                    ---
                    title: With front matter  \s
                    url: https://example.com/in-front-matter
                    ---

                    # Front matter

                    #Bad heading after front matter
                    """,
            "toml-front-matter.md", "+++\ntitle = \"x\"\t\n+++\n\n# TOML\n\nhttps://example.com/after\n",
            "blank-runs.md", "# Blank lines\n\n\n\nText.\n\n\n\n\n\nMore.\n\n```\n\n\n\n```\n\nEnd.\n\n\n",
            "unclosed-fence.md", "# Unclosed\n\ntext\n\n```\ncode  \n\tlast line with a tab  \n",
            "html-only.md", "<!-- markdownlint and drep both hide this https://example.com/x -->\n<p>\nhttps://example.com/p\n</p>\n",
            "crlf.md", "# CRLF\r\n\r\nText  \r\nwith https://example.com/crlf \r\n\r\n\r\n\r\n#Bad\r\n");

    private MarkdownCorpus() {
    }

    /** A document of 8 to 30 random fragments separated by zero to three blank lines; every fifth uses CRLF. */
    static String document(Random random, int index) {
        StringBuilder out = new StringBuilder();
        int fragments = 8 + random.nextInt(23);
        for (int f = 0; f < fragments; f++) {
            for (String line : FRAGMENTS.get(random.nextInt(FRAGMENTS.size()))) {
                out.append(line).append('\n');
            }
            int blanks = random.nextInt(10) < 8 ? 1 : random.nextInt(4);
            out.append("\n".repeat(blanks));
        }
        String text = out.toString();
        return index % 5 == 4 ? text.replace("\n", "\r\n") : text;
    }

    private static String[] lines(String... lines) {
        return lines;
    }
}
