package dev.drep.benchmarks;

import dev.drep.contracts.Finding;
import dev.drep.core.markdown.MarkdownAnalyzer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The markdown checks on a generated, realistic 10,000-line document (headings, prose, lists, links,
 * badges, bare URLs, inline code, fenced code, tables, and a few findings of every rule). The original
 * drep listed markdown pattern checks among its hot paths (Python 50-100 ms per 10,000 lines). The line
 * scan met 1 ms; since the checks run on a CommonMark parse to agree with markdownlint (issue 16) the parse
 * is most of the cost (docs/benchmarks.md). On a shared machine, {@link MarkdownCpuTime} gives the CPU time.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MarkdownBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MarkdownBenchmark {

    /** Line ending of the generated document: LF, or CRLF as Windows checkouts have it. */
    @Param({"LF", "CRLF"})
    public String lineEnding;

    private final MarkdownAnalyzer analyzer = new MarkdownAnalyzer();
    private String document;

    @Setup
    public void generate() {
        document = generateDocument(10_000, "CRLF".equals(lineEnding) ? "\r\n" : "\n");
    }

    @Benchmark
    public List<Finding> analyze() {
        return analyzer.analyze("docs/handbook.md", document);
    }

    /**
     * A deterministic document of {@code lines} lines built from the blocks documentation is made of.
     * One block in sixteen carries findings, about one finding every forty lines.
     */
    static String generateDocument(int lines, String newline) {
        Random random = new Random(42);
        StringBuilder out = new StringBuilder(lines * 60);
        int written = 0;
        int section = 0;
        while (written < lines) {
            if (random.nextInt(16) == 0) {
                written = append(out, blockWithFindings(random.nextInt(4)), newline, written, lines);
                continue;
            }
            String[] block = switch (random.nextInt(8)) {
                case 0 -> new String[] {"## Section " + (++section), ""};
                case 1 -> new String[] {
                    "The service reads its configuration from `application.properties` and the environment; see",
                    "[the configuration guide](https://docs.example.com/guide/config#properties) for every key.",
                    ""};
                case 2 -> new String[] {
                    "- install the CLI with `brew install drep` or from the [releases page](https://github.com/x/y)",
                    "- run `drep check --staged` before you commit",
                    "  - nested item with **bold** text and _emphasis_",
                    "1) numbered item (with a remark)",
                    ""};
                case 3 -> new String[] {
                    "```java",
                    "public static void main(String[] args) {",
                    "    System.out.println(\"see https://example.com [x] #notAHeading\");",
                    "}",
                    "```",
                    ""};
                case 4 -> new String[] {
                    "[![build](https://ci.example.com/badge.svg)](https://ci.example.com/job/main)",
                    "[![coverage](https://cov.example.com/b.svg)](https://cov.example.com)",
                    ""};
                case 5 -> new String[] {
                    "| Option | Default | Meaning |",
                    "| --- | --- | --- |",
                    "| `--fail-on` | `warning` | lowest severity that fails the build |",
                    "| `--format` | `text` | one of text, json, sarif |",
                    ""};
                case 6 -> new String[] {
                    "> Note: reference-style links such as [the FAQ][faq] are resolved below; <support@example.com>.",
                    "",
                    "[faq]: https://docs.example.com/faq \"FAQ\"",
                    ""};
                default -> new String[] {
                    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut",
                    "labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco.",
                    ""};
            };
            written = append(out, block, newline, written, lines);
        }
        return out.toString();
    }

    /** Appends the block's lines, stopping at {@code lines} in all; returns the number of lines written. */
    private static int append(StringBuilder out, String[] block, String newline, int written, int lines) {
        int count = written;
        for (String line : block) {
            if (count == lines) {
                break;
            }
            out.append(line).append(newline);
            count++;
        }
        return count;
    }

    private static String[] blockWithFindings(int kind) {
        return switch (kind) {
            case 0 -> new String[] {
                "This paragraph ends with two spaces for a hard break  ",
                "and continues here\twith a tab, then a [broken link(https://example.com/broken).",
                ""};
            case 1 -> new String[] {
                "#Missing space after the hashes",
                "A very long line that goes on and on about the details of the review pipeline, the analyzers, "
                        + "the publisher and the cache, far beyond the limit.",
                ""};
            case 2 -> new String[] {
                "Questions go to the forum at https://forum.example.com/c/help.",
                "",
                "",
                "",
                ""};
            default -> new String[] {"###", "", "Text after an empty heading.", ""};
        };
    }
}
