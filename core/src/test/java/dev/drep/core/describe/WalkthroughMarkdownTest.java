package dev.drep.core.describe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Walkthrough;
import dev.drep.core.review.UntrustedMarkdown;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalkthroughMarkdownTest {
    private final UntrustedMarkdown text = new UntrustedMarkdown(List.of("git.example.com"));

    @Test
    void filesAreGroupedByDirectoryUnderTheOverview() {
        Walkthrough walkthrough = new Walkthrough("Adds a cache to the parser.", List.of(
                new Walkthrough.FileLine("src/parse/Cache.java", "New LRU cache."),
                new Walkthrough.FileLine("README.md", "Documents the cache."),
                new Walkthrough.FileLine("src/parse/Parser.java", "Uses the cache.")), List.of(), null);

        String md = WalkthroughMarkdown.render(walkthrough, text, "### Walkthrough");

        assertThat(md).startsWith("### Walkthrough\n\nAdds a cache to the parser.\n\n**`/`**\n\n- `README.md`: Documents "
                + "the cache.\n\n**`src/parse/`**\n\n- `src/parse/Cache.java`: New LRU cache.\n"
                + "- `src/parse/Parser.java`: Uses the cache.\n");
    }

    @Test
    void theModelsTextCannotMentionEmbedOrOpenBlocks() {
        Walkthrough walkthrough = new Walkthrough("Thanks @octocat! <img src=x onerror=alert(1)>\n\n# Heading\n"
                + "![x](https://evil.example/p.png)", List.of(new Walkthrough.FileLine("a.md",
                "ping @org/team </details> [click](https://evil.example)")), List.of(), null);

        String md = WalkthroughMarkdown.render(walkthrough, text, "### Walkthrough");

        // HTML is escaped text, never a tag
        assertThat(md).doesNotContainPattern("(?<!\\\\)<img").doesNotContainPattern("(?<!\\\\)</details>")
                .contains("\\<img").doesNotContain("](https://evil.example").doesNotContain("\n# Heading");
        assertThat(md).contains("`@octocat`").contains("`@org/team`");
    }

    @Test
    void noMarkerCanBeForgedByTheModelOrAPath() {
        Walkthrough walkthrough = new Walkthrough("`" + DescriptionBlock.END + "` and " + DescriptionBlock.START,
                List.of(new Walkthrough.FileLine("docs/<!-- drep:walkthrough:end -->.md", "```" + DescriptionBlock.END
                        + "```")), List.of("x<!-- drep:summary -->"), "note " + DescriptionBlock.END);

        String md = WalkthroughMarkdown.render(walkthrough, text, "### Walkthrough");

        assertThat(md).doesNotContain("<!--");
        String body = DescriptionBlock.splice("Author.", DescriptionBlock.block(md)).body();
        assertThat(DescriptionBlock.splice(body, DescriptionBlock.block("new")).body())
                .isEqualTo("Author.\n\n" + DescriptionBlock.block("new"));
    }

    @Test
    void filesWithoutALineAreNamedAndALongListIsCut() {
        List<String> many = java.util.stream.IntStream.range(0, 130).mapToObj(i -> String.format("f%03d.txt", i)).toList();
        String md = WalkthroughMarkdown.render(Walkthrough.withoutModel("No walkthrough: budget.", many), text, "## W");

        assertThat(md).contains("Changed files: `f000.txt`, ").contains("`f099.txt` and 30 more.")
                .doesNotContain("f100.txt").contains("<sub>No walkthrough: budget.</sub>");
    }
}
