package dev.drep.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The statements and examples of gitignore(5), PATTERN FORMAT and EXAMPLES, as executable cases. */
class GitignoreDocumentationTest {

    static Stream<Arguments> documentedCases() {
        return Stream.of(
                // "If there is a separator at the beginning or middle ... relative to the .gitignore level"
                ignored("/foo", "foo", false, true),
                ignored("/foo", "a/foo", false, false),
                ignored("doc/frotz", "doc/frotz", false, true),
                ignored("/doc/frotz", "doc/frotz", false, true),
                ignored("doc/frotz", "a/doc/frotz", false, false),
                // "doc/frotz/ matches doc/frotz directory, but not a/doc/frotz directory"
                ignored("doc/frotz/", "doc/frotz", true, true),
                ignored("doc/frotz/", "a/doc/frotz", true, false),
                // "frotz/ matches frotz and a/frotz that is a directory"
                ignored("frotz/", "frotz", true, true),
                ignored("frotz/", "a/frotz", true, true),
                ignored("frotz/", "a/frotz", false, false),
                // "foo/ will match a directory foo and paths underneath it, but will not match a regular file"
                ignored("foo/", "foo/bar/baz.c", false, true),
                ignored("foo/", "foo", false, false),
                // "**/foo matches file or directory foo anywhere, the same as pattern foo"
                ignored("**/foo", "foo", false, true),
                ignored("**/foo", "x/y/foo", true, true),
                ignored("foo", "x/y/foo", false, true),
                // "**/foo/bar matches file or directory bar anywhere that is directly under directory foo"
                ignored("**/foo/bar", "foo/bar", false, true),
                ignored("**/foo/bar", "x/foo/bar", true, true),
                ignored("**/foo/bar", "x/foo/y/bar", false, false),
                // "abc/** matches all files inside directory abc ... with infinite depth"
                ignored("abc/**", "abc/x", false, true),
                ignored("abc/**", "abc/x/y/z", false, true),
                ignored("abc/**", "abc", true, false),
                ignored("abc/**", "x/abc/y", false, false),
                // "a/**/b matches a/b, a/x/b, a/x/y/b and so on"
                ignored("a/**/b", "a/b", false, true),
                ignored("a/**/b", "a/x/b", false, true),
                ignored("a/**/b", "a/x/y/b", false, true),
                ignored("a/**/b", "a/xb", false, false),
                // "Other consecutive asterisks are considered regular asterisks"
                ignored("a/**b", "a/xb", false, true),
                ignored("a/**b", "a/x/b", false, false),
                // "An asterisk matches anything except a slash; ? any one character except /"
                ignored("*.html", "Documentation/gitignore.html", false, true),
                ignored("f?o", "foo", false, true),
                ignored("/f?o/x", "f/o/x", false, false),
                ignored("/a*b", "a/b", false, false),
                // "The range notation, e.g. [a-zA-Z]"
                ignored("file[0-9].txt", "file7.txt", false, true),
                ignored("file[0-9].txt", "filex.txt", false, false),
                ignored("*.[oa]", "lib.a", false, true),
                ignored("*.[oa]", "src/internal.o", false, true),
                ignored("*.[oa]", "main.c", false, false),
                // "hello.* matches any file or directory whose name begins with hello."
                ignored("hello.*", "a/hello.java", false, true),
                ignored("/hello.*", "hello.txt", false, true),
                ignored("/hello.*", "a/hello.java", false, false),
                // "foo/* matches foo/test.json and foo/bar (a directory), but not foo/bar/hello.c" - the
                // pattern does not match it, yet git ignores it because its parent foo/bar is excluded.
                ignored("foo/*", "foo/test.json", false, true),
                ignored("foo/*", "foo/bar", true, true),
                ignored("foo/*", "foo/bar/hello.c", false, true),
                // "A line starting with # serves as a comment ... put a backslash in front of the first hash"
                ignored("#foo", "#foo", false, false),
                ignored("\\#foo", "#foo", false, true),
                // "Put a backslash in front of the first ! for patterns that begin with a literal !"
                ignored("\\!important!.txt", "!important!.txt", false, true),
                // "Trailing spaces are ignored unless they are quoted with backslash"
                ignored("foo   ", "foo", false, true),
                ignored("foo\\ ", "foo ", false, true),
                ignored("foo\\ ", "foo", false, false),
                // "A blank line matches no files"
                ignored("\n   \n", "anything", false, false),
                // "An optional prefix ! negates the pattern; any matching file excluded by a previous pattern
                // will become included again"
                ignored("*.html\n!foo.html", "Documentation/foo.html", false, false),
                ignored("*.html\n!foo.html", "Documentation/gitignore.html", false, true),
                ignored("!foo.html\n*.html", "foo.html", false, true),
                // "It is not possible to re-include a file if a parent directory of that file is excluded."
                ignored("build/\n!build/keep.txt", "build/keep.txt", false, true),
                ignored("build/*\n!build/keep.txt", "build/keep.txt", false, false),
                // "exclude everything except directory foo/bar"
                ignored("/*\n!/foo\n/foo/*\n!/foo/bar", "foo/bar/x.c", false, false),
                ignored("/*\n!/foo\n/foo/*\n!/foo/bar", "foo/baz/x.c", false, true),
                ignored("/*\n!/foo\n/foo/*\n!/foo/bar", "other.txt", false, true),
                // "\" is an escape: \* and \[ are literal
                ignored("a\\*b", "a*b", false, true),
                ignored("a\\*b", "axb", false, false),
                ignored("\\[x]", "[x]", false, true));
    }

    private static Arguments ignored(String gitignore, String path, boolean isDirectory, boolean expected) {
        return Arguments.of(gitignore, path, isDirectory, expected);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1} (dir={2}) ignored={3}")
    @MethodSource("documentedCases")
    void followsTheDocumentation(String gitignore, String path, boolean isDirectory, boolean expected) {
        IgnoreRules rules = IgnoreRules.parse(gitignore, "");
        assertThat(rules.isIgnored(path, isDirectory)).isEqualTo(expected);
    }

    @Test
    void nestedGitignoreAppliesBelowItsDirectoryAndOverridesTheRoot() {
        // gitignore(5): "vmlinux*" at the root, "!/vmlinux*" in arch/foo/kernel/.gitignore.
        IgnoreRules rules = IgnoreRules.combine(
                IgnoreRules.parse("vmlinux*\n", ""), IgnoreRules.parse("!/vmlinux*\n", "arch/foo/kernel"));
        assertThat(rules.isIgnored("arch/foo/kernel/vmlinux.lds.S", false)).isFalse();
        assertThat(rules.isIgnored("vmlinux", false)).isTrue();
        assertThat(rules.isIgnored("arch/foo/vmlinux.o", false)).isTrue();
        // The nested rule is anchored to its own directory, not to the root.
        assertThat(rules.isIgnored("arch/foo/kernel/sub/vmlinux.o", false)).isTrue();
        assertThat(rules.decidingRule("arch/foo/kernel/vmlinux.lds.S", false))
                .map(IgnoreRule::source)
                .hasValue("arch/foo/kernel/.gitignore");
    }

    @Test
    void documentationExampleWithInfoExcludeAndNestedHtmlRules() {
        IgnoreRules rules = IgnoreRules.combine(
                IgnoreRules.of("info/exclude", List.of("# ignore objects and archives", "*.[oa]"),
                        MatchOptions.CASE_SENSITIVE),
                IgnoreRules.parse("# ignore generated html files,\n*.html\n# except foo.html\n!foo.html\n",
                        "Documentation"));
        assertThat(rules.isIgnored("Documentation/foo.html", false)).isFalse();
        assertThat(rules.isIgnored("Documentation/gitignore.html", false)).isTrue();
        assertThat(rules.isIgnored("file.o", false)).isTrue();
        assertThat(rules.isIgnored("lib.a", false)).isTrue();
        assertThat(rules.isIgnored("src/internal.o", false)).isTrue();
        // The html rules live in Documentation/.gitignore and do not reach other directories.
        assertThat(rules.isIgnored("site/index.html", false)).isFalse();
    }

    @Test
    void defaultsIgnoreToolDirectoriesButNotFilesOfTheSameName() {
        IgnoreRules rules = IgnoreRules.DEFAULTS;
        assertThat(rules.isIgnored("node_modules/left-pad/index.js", false)).isTrue();
        assertThat(rules.isIgnored("services/api/target/classes/A.class", false)).isTrue();
        assertThat(rules.isIgnored("pkg/mylib.egg-info/PKG-INFO", false)).isTrue();
        assertThat(rules.isIgnored(".git/config", false)).isTrue();
        assertThat(rules.isIgnored("sub/.git", false)).isTrue();
        assertThat(rules.isIgnored("src/.venv/bin/python", false)).isTrue();
        assertThat(rules.isIgnored("tools/build", false)).isFalse();
        assertThat(rules.isIgnored("src/main/App.java", false)).isFalse();
        assertThat(rules.isIgnored("docs/vendor.md", false)).isFalse();
    }

    @Test
    void laterLayersOverrideEarlierOnesAndConfigurationGlobsWin() {
        IgnoreRules gitignore = IgnoreRules.parse("!vendor/\n", "");
        IgnoreRules config = IgnoreRules.of("drep.yaml ignore", List.of("*.snap"), MatchOptions.CASE_SENSITIVE);
        IgnoreRules rules = IgnoreRules.combine(IgnoreRules.DEFAULTS, gitignore, config);
        assertThat(rules.isIgnored("vendor/lib/a.go", false)).isFalse();
        assertThat(rules.isIgnored("test/__snapshots__/a.snap", false)).isTrue();
        assertThat(rules.decidingRule("x.snap", false)).map(IgnoreRule::source).hasValue("drep.yaml ignore");
    }

    @Test
    void windowsSeparatorsInPathsAndCarriageReturnsInFilesAreNormalised() {
        IgnoreRules rules = IgnoreRules.parse("\uFEFF/out/\r\n*.tmp\r\n", "");
        assertThat(rules.isIgnored("out\\classes\\A.class", false)).isTrue();
        assertThat(rules.isIgnored("src\\a.tmp", false)).isTrue();
        assertThat(rules.rules()).extracting(IgnoreRule::text).containsExactly("/out/", "*.tmp");
    }

    @Test
    void caseInsensitiveRulesMatchAnyCase() {
        IgnoreRules rules = IgnoreRules.parse("*.LOG\n/Build/\n", "", MatchOptions.CASE_INSENSITIVE);
        assertThat(rules.isIgnored("logs/app.log", false)).isTrue();
        assertThat(rules.isIgnored("BUILD/x", false)).isTrue();
        assertThat(IgnoreRules.parse("*.LOG\n", "").isIgnored("logs/app.log", false)).isFalse();
    }

    @Test
    void strictParsingNamesFileAndLineWhileLenientParsingReportsAndSkips() {
        String text = "ok.txt\nbad[\n*.tmp\n";
        assertThatThrownBy(() -> IgnoreRules.parse(text, "pkg"))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessageContaining("pkg/.gitignore:2")
                .hasMessageContaining("bad[")
                .hasMessageContaining("never closed");
        List<InvalidPatternException> skipped = new ArrayList<>();
        IgnoreRules rules = IgnoreRules.parseLenient(text, "pkg", MatchOptions.CASE_SENSITIVE, skipped::add);
        assertThat(skipped).singleElement().extracting(InvalidPatternException::line).isEqualTo(2);
        assertThat(rules.isIgnored("pkg/a.tmp", false)).isTrue();
        assertThat(rules.isIgnored("pkg/bad[", false)).isFalse();
    }
}
