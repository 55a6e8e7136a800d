package dev.drep.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathPatternTest {

    private static final long SEED = 0x5EED_0103L;

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            *.py              | a/b/c.py          | true
            *.py              | a/b/c.pyc         | false
            src/*.py          | src/app.py        | true
            src/*.py          | lib/src/app.py    | false
            src/*.py          | src/sub/app.py    | false
            a/*               | a/b               | true
            a/*               | a/b/c             | false
            a/                | a/b/c             | true
            a/                | x/a/b             | true
            a/                | a                 | false
            a/                | a/                | true
            src/**            | src/app.py        | true
            src/**            | src                | false
            src/**            | src/               | false
            **/test_*.py      | test_a.py         | true
            **/test_*.py      | x/y/test_a.py     | true
            a/**/b            | a/b               | true
            a/**/b            | a/x/y/b           | true
            ?.txt             | a.txt             | true
            ?.txt             | ab.txt            | false
            a?b               | a/b               | false
            [abc].md          | b.md              | true
            [a-c].md          | d.md              | false
            [!a-c].md         | d.md              | true
            [^a-c].md         | b.md              | false
            []]x              | ]x                | true
            [!]]x             | ]x                | false
            [a-]x             | -x                | true
            [[:digit:]]*      | 7up               | true
            [[:digit:]]*      | up7               | false
            [[:upper:][:digit:]]x | Qx            | true
            [[:alpha]x        | :x                | true
            a[/]b             | a/b               | false
            \\*.md            | *.md              | true
            \\*.md            | a.md              | false
            a\\[b]            | a[b]              | true
            'x\\ '            | 'x '              | true
            'x  '             | x                 | true
            '#notes'          | '#notes'          | true
            src\\/*.py        | src/a.py          | true
            a**/b             | ab                | true
            a**/b             | ax/y/b            | true
            /a**              | a/b/c             | true
            a/**b             | a/x/b             | false
            **                | any/thing         | true
            build/            | build/x/y.o       | true
            build/            | build             | false
            """)
    void matchesLikeGit(String pattern, String path, boolean expected) {
        assertThat(PathPattern.compile(pattern).matchesExactly(path)).isEqualTo(expected);
    }

    @Test
    void pathsAreNormalised() {
        PathPattern pattern = PathPattern.compile("src/main/*.java");
        assertThat(pattern.matchesExactly("src\\main\\App.java")).isTrue();
        assertThat(pattern.matchesExactly("./src//main/./App.java")).isTrue();
        assertThat(pattern.matchesExactly("/src/main/App.java")).isTrue();
        assertThat(pattern.matchesExactly("")).isFalse();
        assertThat(RepositoryPath.normalize("a\\b\\")).isEqualTo("a/b");
        assertThat(RepositoryPath.namesDirectory("a\\b\\")).isTrue();
        String normal = "already/normal.txt";
        assertThat(RepositoryPath.normalize(normal)).isSameAs(normal);
    }

    @Test
    void directoryFlagOnlyMattersForDirectoryOnlyPatterns() {
        PathPattern dirOnly = PathPattern.compile("out/");
        assertThat(dirOnly.matchesExactly("out", true)).isTrue();
        assertThat(dirOnly.matchesExactly("out", false)).isFalse();
        assertThat(dirOnly.matchesExactly("out/")).isTrue();
        PathPattern plain = PathPattern.compile("out");
        assertThat(plain.matchesExactly("out", true)).isTrue();
        assertThat(plain.matchesExactly("out", false)).isTrue();
        assertThat(plain.matchesExactly("out/file", false)).isFalse();
    }

    @Test
    void caseInsensitiveMatchingCoversUnicodeAndBrackets() {
        PathPattern pattern = PathPattern.compile("Docs/[A-C]*.MD", MatchOptions.CASE_INSENSITIVE);
        assertThat(pattern.matchesExactly("docs/alpha.md")).isTrue();
        assertThat(pattern.matchesExactly("DOCS/Beta.Md")).isTrue();
        assertThat(pattern.matchesExactly("docs/delta.md")).isFalse();
        assertThat(PathPattern.compile("ÉTÉ/*", MatchOptions.CASE_INSENSITIVE).matchesExactly("été/x")).isTrue();
        assertThat(PathPattern.compile("[!a]x", MatchOptions.CASE_INSENSITIVE).matchesExactly("Ax")).isFalse();
        assertThat(PathPattern.compile("Docs/*.MD").matchesExactly("docs/a.md")).isFalse();
    }

    @Test
    void questionMarkMatchesOneCodePointNotOneUtf16Unit() {
        assertThat(PathPattern.compile("?.txt").matchesExactly("\uD83D\uDE00.txt")).isTrue();
        assertThat(PathPattern.compile("??.txt").matchesExactly("\uD83D\uDE00.txt")).isFalse();
    }

    @Test
    void invalidPatternsAreRejectedWithTheirProblem() {
        assertThatThrownBy(() -> PathPattern.compile("src/[ab"))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessageContaining("\"src/[ab\"")
                .hasMessageContaining("never closed");
        assertThatThrownBy(() -> PathPattern.compile("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PathPattern.compile("   ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PathPattern.compile("a\0b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> PathPattern.compile("abc\\")).hasMessageContaining("unpaired backslash");
        assertThatThrownBy(() -> PathPattern.compile("[[:word:]]")).hasMessageContaining("unknown character class");
        assertThatThrownBy(() -> PathPattern.compile("!secret")).hasMessageContaining("negates");
        assertThatThrownBy(() -> PathPattern.compile("//")).hasMessageContaining("names no path");
        assertThatThrownBy(() -> PathPattern.compile("a".repeat(PathPattern.MAX_LENGTH + 1)))
                .hasMessageContaining("4097 characters long; the limit is 4096")
                .hasMessageContaining("(4097 characters)");
        assertThatThrownBy(() -> PathPattern.compile("**/".repeat(PathPattern.MAX_DOUBLE_STARS + 1) + "x"))
                .hasMessageContaining("17 '**'");
        InvalidPatternException e = assertThrows(
                InvalidPatternException.class, () -> PathPattern.compile("x["));
        assertThat(e.pattern()).isEqualTo("x[");
        assertThat(e.problem()).contains("never closed");
    }

    @Test
    void matchesEverythingIsDecidedOnTheLanguage() {
        // Covering counts: "[!/]*" is anchored (a slash inside brackets counts for anchoring, as in git) and
        // matches every top-level name, so it covers every path, as it would ignore everything in git.
        for (String everything : List.of("*", "**", "**/*", "?*", "**/**", "**/?*", "[!/]*")) {
            assertThat(PathPattern.compile(everything).matchesEverything()).as(everything).isTrue();
        }
        for (String narrower : List.of("*.py", "**/", "src/**", "*/*", "?", "[a-z]*", "**/a*",
                // Directory-only, so it misses top-level files.
                "*/**/",
                "*\\ ")) {
            assertThat(PathPattern.compile(narrower).matchesEverything()).as(narrower).isFalse();
        }
    }

    /**
     * Differential test against the transcription of git's own matcher: for random patterns and every path
     * of the generated tree, the automaton says what git's per-pattern test says, extended below a matched
     * directory for directory-only patterns.
     */
    @Test
    void agreesWithGitsWildmatchOnRandomPatterns() {
        PatternGenerator generator = new PatternGenerator(SEED, false);
        List<PatternGenerator.Entry> tree = PatternGenerator.tree(false);
        List<String> mismatches = new ArrayList<>();
        int matched = 0;
        int rejected = 0;
        for (int i = 0; i < 3_000; i++) {
            String line = generator.line();
            String text = line.startsWith("!") ? line.substring(1) : line;
            PathPattern pattern;
            try {
                pattern = PathPattern.compile(text);
            } catch (InvalidPatternException e) {
                rejected++;
                // Whatever we reject, git never matches.
                for (PatternGenerator.Entry entry : tree) {
                    if (GitWildmatchReference.matchesDirectly(text, entry.path(), entry.directory())) {
                        mismatches.add("rejected " + text + " (" + e.problem() + ") but git matches " + entry);
                    }
                }
                continue;
            }
            for (PatternGenerator.Entry entry : tree) {
                boolean expected = GitWildmatchReference.matchesDirectly(text, entry.path(), entry.directory());
                if (pattern.isDirectoryOnly()) {
                    expected |= ancestors(entry.path()).stream()
                            .anyMatch(a -> GitWildmatchReference.matchesDirectly(text, a, true));
                }
                if (pattern.matchesExactly(entry.path(), entry.directory()) != expected) {
                    mismatches.add(text + " on " + entry + ": git " + expected);
                }
                matched += expected ? 1 : 0;
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(matched).isGreaterThan(5_000);
        assertThat(rejected).isGreaterThan(50);
    }

    static List<String> ancestors(String path) {
        List<String> result = new ArrayList<>();
        for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
            result.add(path.substring(0, i));
        }
        return result;
    }
}
