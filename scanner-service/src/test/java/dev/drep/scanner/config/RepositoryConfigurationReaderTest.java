package dev.drep.scanner.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.DescribeMode;
import dev.drep.contracts.OnIncomplete;
import dev.drep.contracts.PublishSettings;
import dev.drep.contracts.Severity;
import dev.drep.contracts.VerifyMode;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RepositoryConfigurationReaderTest {
    private final RepositoryConfigurationReader reader = new RepositoryConfigurationReader(Set.of("markdown", "llm"));

    private LoadedConfiguration parse(String yaml) {
        return reader.parse(yaml, "`.drep.yaml` at abc1234");
    }

    @Test
    void everyKeyIsRead() {
        LoadedConfiguration loaded = parse("""
                # review settings
                ignore:
                  - "docs/generated/"
                  - "*.min.md"
                  - "!keep.min.md"
                instructions:
                  - path: "docs/**"
                    text: "Check that every example compiles."
                  - path: ["*.md", "README*"]
                    text: |
                      Prefer short sentences.
                analyzers: [markdown]
                minimum-severity: warning
                max-inline-comments: 20
                fail-on: warning
                max-llm-tokens: 50_000
                """);
        assertThat(loaded.notes()).isEmpty();
        RepositoryConfiguration c = loaded.configuration();
        assertThat(c.maxLlmTokens()).isEqualTo(50_000L);
        assertThat(c.publish()).isEqualTo(new PublishSettings(Severity.WARNING, 20, Severity.WARNING));
        assertThat(c.ignore().isIgnored("docs/generated/api.md", false)).isTrue();
        assertThat(c.ignore().isIgnored("src/a.min.md", false)).isTrue();
        assertThat(c.ignore().isIgnored("keep.min.md", false)).isFalse();
        assertThat(c.ignore().isIgnored("docs/guide.md", false)).isFalse();
        assertThat(c.instructionsFor("docs/guide.md")).isEqualTo("Check that every example compiles.\n\nPrefer short sentences.");
        assertThat(c.instructionsFor("docs/image.png")).isEqualTo("Check that every example compiles.");
        assertThat(c.instructionsFor("README")).isEqualTo("Prefer short sentences.");
        assertThat(c.instructionsFor("src/Main.java")).isNull();
        assertThat(c.analyzerEnabled("markdown")).isTrue();
        assertThat(c.analyzerEnabled("llm")).isFalse();
    }

    @Test
    void suppressRulesListsRulesNotCommentedOnInlineAsLearningsExportThem() {
        assertThat(parse("suppress-rules:\n  - \"md.trailing-whitespace\"  # justified 3 times\n  - md.tab\n")
                .configuration().publish().suppressRules()).containsExactly("md.trailing-whitespace", "md.tab");
        assertThat(parse("suppress-rules: []\n").configuration().publish().suppressRules()).isEmpty();
        assertThat(parse("fail-on: error\n").configuration().publish().suppressRules()).isEmpty();
        assertInvalid("suppress-rules: md.tab\n", "'suppress-rules' must be a list of rule ids");
        assertInvalid("suppress-rules: [\" \"]\n", "must not be empty");
    }

    @Test
    void withoutMaxLlmTokensTheAnalyzersCeilingIsLeftAlone() {
        assertThat(parse("fail-on: error\n").configuration().maxLlmTokens()).isNull();
        assertThat(RepositoryConfiguration.DEFAULTS.maxLlmTokens()).isNull();
    }

    @Test
    void anInvalidMaxLlmTokensIgnoresTheFileWithANote() {
        assertInvalid("max-llm-tokens: 0\n", "line 1", "'max-llm-tokens' must be a whole number of tokens from 1 to "
                + "1000000000", "got '0'");
        assertInvalid("fail-on: error\nmax-llm-tokens: -5\n", "line 2", "got '-5'");
        assertInvalid("max-llm-tokens: 5000000000\n", "from 1 to 1000000000");
        assertInvalid("max-llm-tokens: 1.5e5\n", "must be a whole number", "got '1.5e5'");
        assertInvalid("max-llm-tokens: \"50000\"\n", "must be a whole number");
        assertInvalid("max-llm-tokens: [50000]\n", "got 'a list'");
        assertInvalid("llm:\n  max-tokens: 5\n", "unknown key 'llm'", "max-llm-tokens");
    }

    @Test
    void onIncompleteChoosesTheCheckOfAnIncompleteReviewAndFailsByDefault() {
        assertThat(parse("fail-on: error\n").configuration().publish().onIncomplete()).isEqualTo(OnIncomplete.FAILURE);
        assertThat(parse("on-incomplete: neutral\n").configuration().publish())
                .isEqualTo(new PublishSettings(Severity.INFO, 50, Severity.ERROR, OnIncomplete.NEUTRAL));
        assertThat(parse("on-incomplete: failure\n").configuration().publish().onIncomplete())
                .isEqualTo(OnIncomplete.FAILURE);
        assertInvalid("fail-on: error\non-incomplete: success\n", "line 2",
                "'on-incomplete' must be failure or neutral, got 'success'");
        assertInvalid("on-incomplete: [neutral]\n", "'on-incomplete' must be a text value");
    }

    @Test
    void verifyChoosesWhatBecomesOfUnconfirmedFindingsAndFoldsByDefault() {
        assertThat(parse("fail-on: error\n").configuration().verify()).isEqualTo(VerifyMode.FOLD);
        assertThat(RepositoryConfiguration.DEFAULTS.verify()).isEqualTo(VerifyMode.FOLD);
        assertThat(parse("verify: drop\n").configuration().verify()).isEqualTo(VerifyMode.DROP);
        assertThat(parse("verify: Fold\n").configuration().verify()).isEqualTo(VerifyMode.FOLD);
        // YAML 1.1 reads a bare off as a boolean: it still means off
        assertThat(parse("verify: off\n").configuration().verify()).isEqualTo(VerifyMode.OFF);
        assertThat(parse("verify: \"off\"\n").configuration().verify()).isEqualTo(VerifyMode.OFF);
        assertInvalid("fail-on: error\nverify: strict\n", "line 2", "'verify' must be drop, fold or off, got 'strict'");
        assertInvalid("verify: true\n", "'verify' must be drop, fold or off, got 'true'");
        assertInvalid("verify: [drop]\n", "'verify' must be a text value");
        assertInvalid("verifier: drop\n", "unknown key 'verifier'", "verify");
    }

    @Test
    void describeSaysWhereTheWalkthroughGoesAndIsTheSummaryByDefault() {
        assertThat(parse("fail-on: error\n").configuration().publish().describe()).isEqualTo(DescribeMode.SUMMARY);
        assertThat(RepositoryConfiguration.DEFAULTS.publish().describe()).isEqualTo(DescribeMode.SUMMARY);
        assertThat(parse("describe: body\n").configuration().publish().describe()).isEqualTo(DescribeMode.BODY);
        assertThat(parse("describe: off\n").configuration().publish().describe()).isEqualTo(DescribeMode.OFF);
        assertInvalid("describe: everywhere\n", "'describe' must be summary, body or off, got 'everywhere'");
    }

    @Test
    void maxCommentsPerFileCapsTheInlineCommentsOnOneFileAndDefaultsToTen() {
        assertThat(parse("fail-on: error\n").configuration().publish().maxCommentsPerFile())
                .isEqualTo(PublishSettings.DEFAULT_MAX_COMMENTS_PER_FILE).isEqualTo(10);
        assertThat(parse("max-comments-per-file: 3\n").configuration().publish())
                .isEqualTo(new PublishSettings(Severity.INFO, 50, Severity.ERROR, OnIncomplete.FAILURE, 3));
        assertInvalid("fail-on: error\nmax-comments-per-file: -1\n", "line 2",
                "'max-comments-per-file' must be a whole number from 0 to 1000", "got '-1'");
        assertInvalid("max-comments-per-file: many\n", "'max-comments-per-file' must be a whole number");
        assertInvalid("max-comment-per-file: 3\n", "unknown key 'max-comment-per-file'", "max-comments-per-file");
    }

    @Test
    void anEmptyFileOrOnlyCommentsMeansDefaultsWithoutANote() {
        for (String text : new String[] {"", "# nothing yet\n", "\n\n"}) {
            LoadedConfiguration loaded = parse(text);
            assertThat(loaded.notes()).isEmpty();
            assertThat(loaded.configuration()).isEqualTo(RepositoryConfiguration.DEFAULTS);
        }
    }

    @Test
    void anInvalidFileGivesANoteNamingTheLineAndFallsBackToTheDefaults() {
        assertInvalid("ignore: [\"a/\"]\nmax-inline-comments: many\n", "line 2", "'max-inline-comments' must be a whole number",
                "got 'many'");
        assertInvalid("max-inline-comments: 5000\n", "line 1", "from 0 to 1000");
        assertInvalid("max-inline-comments: \"20\"\n", "must be a whole number");
        assertInvalid("minimum-severity: critical\n", "'minimum-severity' must be one of info, warning, error", "'critical'");
        assertInvalid("ignroe: [\"a\"]\n", "line 1", "unknown key 'ignroe'", "known keys: ignore");
        assertInvalid("ignore: \"docs/\"\n", "'ignore' must be a list");
        assertInvalid("ignore:\n  - \"ok/\"\n  - \"[unclosed\"\n", "line 3", "invalid pattern in 'ignore'");
        assertInvalid("instructions:\n  - path: \"docs/**\"\n", "needs both 'path' and a non-empty 'text'");
        assertInvalid("instructions:\n  - path: \"docs/**\"\n    text: x\n    when: always\n", "line 4", "unknown key 'when'");
        assertInvalid("analyzers: [markdown, spelling]\n", "unknown analyzer 'spelling'", "known: llm, markdown");
        assertInvalid("- ignore\n- analyzers\n", "must be a mapping");
        assertInvalid("ignore: [\"a\"\nfail-on: error\n", "not valid YAML");
        assertInvalid("fail-on: error\nfail-on: info\n", "line 2", "appears twice");
        assertInvalid("fail-on:\n", "must be a text value");
    }

    @Test
    void aliasExpansionIsBounded() {
        StringBuilder bomb = new StringBuilder("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        char previous = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                bomb.append(i == 0 ? "" : ",").append('*').append(previous);
            }
            bomb.append("]\n");
            previous = c;
        }
        LoadedConfiguration loaded = parse(bomb.toString());
        assertThat(loaded.notes()).singleElement().asString().contains("is invalid");
        assertThat(loaded.configuration()).isEqualTo(RepositoryConfiguration.DEFAULTS);
    }

    private void assertInvalid(String yaml, String... fragments) {
        LoadedConfiguration loaded = parse(yaml);
        assertThat(loaded.configuration()).as(yaml).isEqualTo(RepositoryConfiguration.DEFAULTS);
        assertThat(loaded.notes()).as(yaml).singleElement().asString()
                .startsWith("`.drep.yaml` at abc1234 is invalid, so drep ignored it and used the default settings: ")
                .contains(fragments);
    }
}
