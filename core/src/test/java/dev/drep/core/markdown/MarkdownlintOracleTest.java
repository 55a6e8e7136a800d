package dev.drep.core.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * markdownlint (markdownlint-cli2, npm) as the oracle of the markdown checks, as {@code git check-ignore} is
 * for the path matcher: a generated corpus of varied markdown (front matter, HTML comments and blocks,
 * tables, nested lists, indented and fenced code, escaped brackets, link text wrapped over lines, reference
 * links, autolinks, bare URLs, www addresses and e-mail addresses, long lines, tabs, trailing spaces and the
 * two-space hard break, runs of blank lines, LF and CRLF) is linted by both, and for every rule they share the
 * set of (file, line) must be the same.
 *
 * <p>The shared rules and the markdownlint configuration that states drep's choices where they are not
 * markdownlint's defaults:
 * <ul>
 *   <li>MD009 = {@code md.trailing-whitespace}, defaults (two trailing spaces are a hard break; code blocks not
 *       checked);</li>
 *   <li>MD010 = {@code md.tab} with {@code code_blocks: false}: a tab in a code sample (a Makefile, Go) is
 *       the sample's business, as it was in drep before;</li>
 *   <li>MD012 = {@code md.blank-lines} with {@code maximum: 2}: drep's rule has always allowed two blank
 *       lines (existing ignore lists rely on it);</li>
 *   <li>MD013 = {@code md.line-length} with {@code line_length: 120}: drep's limit; markdownlint's 80 flags most
 *       prose written for today's screens;</li>
 *   <li>MD018 = {@code md.heading-space}, MD034 = {@code md.bare-url}, defaults.</li>
 * </ul>
 *
 * <p>Deliberate differences, normalised in the comparison or left out of the generator:
 * <ul>
 *   <li>MD012 reports every blank line beyond the maximum; drep reports a run once, on its first such line
 *       (one comment per run on a pull request). markdownlint's lines of a run are folded into the first.</li>
 *   <li>MD012 counts the empty "line" after the file's final newline; drep reports blank lines at the end of a
 *       file as {@code md.trailing-blank-line} instead, so MD012 on that phantom line is not compared.</li>
 *   <li>MD013 counts UTF-16 code units; drep counts code points (an emoji is one character to a reader). Left
 *       out of the generator: no character outside the Basic Multilingual Plane.</li>
 *   <li>A fence that is never closed: drep takes every line after it for code. markdownlint does so when the
 *       file ends with a newline, but takes the last line for a closing fence (and checks it) when the file
 *       ends without one or the fence's list item or quote ends first. The generator closes such files with a
 *       newline and never leaves a fence open inside a container.</li>
 *   <li>Footnote definitions ({@code [^1]: ...}, GFM) are not parsed by commonmark-java's core (its footnotes
 *       extension has no release at the core's version): lines indented under a definition after a blank line
 *       are the definition's paragraph to markdownlint and indented code to drep. The generator follows each
 *       definition with an unindented paragraph.</li>
 *   <li>A URL between an inline HTML tag and its closing tag is not bare to either, except on lazy
 *       continuation lines of a list item, where markdownlint's token tree splits the paragraph and it reports
 *       the URL. The generator puts a blank line before the fragment that would start such lines.</li>
 *   <li>The destination of link syntax that did not form a link ({@code [text](https://x.example/a} without its
 *       {@code )}) is bare to markdownlint (MD034); drep reports the line once, as {@code md.unbalanced-brackets},
 *       which names the mistake, rather than a second time as a bare URL. markdownlint's MD034 on a line where drep
 *       reports a broken link is not compared.</li>
 *   <li>Lone {@code \r} line endings (classic Mac) are not generated: markdownlint's lines and micromark's
 *       positions disagree on them.</li>
 * </ul>
 * drep's own rules ({@code md.empty-heading}, {@code md.trailing-blank-line}, {@code md.unclosed-fence},
 * {@code md.unbalanced-brackets}) have no markdownlint counterpart and are tested in {@link MarkdownAnalyzerTest}.
 */
class MarkdownlintOracleTest {

    private static final long SEED = 0x5EED_0016L;
    private static final int FILES = 80;
    private static final String CONFIG = """
            {"default": false, "MD009": true, "MD010": {"code_blocks": false}, "MD012": {"maximum": 2},
             "MD013": {"line_length": 120}, "MD018": true, "MD034": true}""";
    private static final Map<String, String> SHARED = Map.of(
            "MD009", "md.trailing-whitespace",
            "MD010", "md.tab",
            "MD012", "md.blank-lines",
            "MD013", "md.line-length",
            "MD018", "md.heading-space",
            "MD034", "md.bare-url");

    /** The corpus stays in the module's target folder after the run, for a look at any disagreement. */
    private final Path corpus = Path.of("target/markdownlint-oracle");

    private final MarkdownAnalyzer analyzer = new MarkdownAnalyzer();

    @Test
    void everySharedRuleReportsTheSameLinesAsMarkdownlint() throws Exception {
        if (Files.exists(corpus)) {
            try (var old = Files.list(corpus)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(corpus);
        Random random = new Random(SEED);
        Map<String, Integer> lastLines = new TreeMap<>();
        Map<String, TreeSet<String>> drep = new TreeMap<>();
        Set<String> brokenLinks = new TreeSet<>();
        Map<String, String> files = new TreeMap<>(MarkdownCorpus.HAND_WRITTEN);
        for (int i = 0; i < FILES; i++) {
            files.put("doc" + i + ".md", MarkdownCorpus.document(random, i));
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            String name = file.getKey();
            Files.writeString(corpus.resolve(name), file.getValue());
            lastLines.put(name, (int) file.getValue().lines().count());
            for (Finding finding : analyzer.analyze(name, file.getValue())) {
                if (finding.rule().equals(MarkdownRule.UNBALANCED_BRACKETS.id())) {
                    brokenLinks.add(name + ":" + finding.line());
                }
                if (SHARED.containsValue(finding.rule())) {
                    drep.computeIfAbsent(finding.rule(), r -> new TreeSet<>()).add(name + ":" + finding.line());
                }
            }
        }

        Map<String, TreeSet<String>> markdownlint = new TreeMap<>();
        List<Markdownlint.Problem> problems = new ArrayList<>(Markdownlint.lint(corpus, CONFIG));
        problems.sort((a, b) -> a.file().equals(b.file()) ? Integer.compare(a.line(), b.line()) : a.file().compareTo(b.file()));
        Markdownlint.Problem previousBlank = null;
        for (Markdownlint.Problem problem : problems) {
            String rule = SHARED.get(problem.rule());
            assertThat(rule).as("markdownlint reported a rule outside the shared ones: " + problem).isNotNull();
            if (problem.rule().equals("MD012")) {
                boolean sameRun = previousBlank != null && previousBlank.file().equals(problem.file())
                        && previousBlank.line() == problem.line() - 1;
                previousBlank = problem;
                if (sameRun || problem.line() > lastLines.get(problem.file())) {
                    continue; // one finding per run, on its first line; the phantom last line is not compared
                }
            }
            if (problem.rule().equals("MD034") && brokenLinks.contains(problem.file() + ":" + problem.line())) {
                continue; // drep names a broken link's destination once, as the broken link
            }
            markdownlint.computeIfAbsent(rule, r -> new TreeSet<>()).add(problem.file() + ":" + problem.line());
        }

        for (String rule : SHARED.values()) {
            TreeSet<String> ours = drep.getOrDefault(rule, new TreeSet<>());
            TreeSet<String> theirs = markdownlint.getOrDefault(rule, new TreeSet<>());
            TreeSet<String> onlyOurs = new TreeSet<>(ours);
            onlyOurs.removeAll(theirs);
            TreeSet<String> onlyTheirs = new TreeSet<>(theirs);
            onlyTheirs.removeAll(ours);
            assertThat(onlyOurs).as(rule + ": lines only drep reports").isEmpty();
            assertThat(onlyTheirs).as(rule + ": lines only markdownlint reports").isEmpty();
            // The corpus must actually reach every rule for the agreement to mean something.
            assertThat(theirs).as(rule + " findings in the corpus").hasSizeGreaterThan(20);
        }
    }
}
