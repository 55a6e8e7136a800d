package dev.drep.paths;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Git's decision procedure written out naively (every rule, every ancestor, the transcribed wildmatch) as a
 * second oracle next to {@link GitOracleTest}: it runs in-process, so it can cover many more rule lists.
 */
class IgnoreRulesTest {

    private static final long SEED = 0x5EED_0403L;

    @Test
    void agreesWithTheNaiveProcedureOnRandomRuleLists() {
        PatternGenerator generator = new PatternGenerator(SEED, false);
        List<PatternGenerator.Entry> tree = PatternGenerator.tree(false);
        List<String> mismatches = new ArrayList<>();
        int ignored = 0;
        int invalid = 0;
        for (int round = 0; round < 3_000; round++) {
            List<String> lines = generator.lines(1, 6);
            int[] dropped = {0};
            IgnoreRules rules = IgnoreRules.parseLenient(String.join("\n", lines), "", MatchOptions.CASE_SENSITIVE,
                    e -> dropped[0]++);
            // The naive side sees every line, including those the parser drops: git never matches them.
            List<String> patternLines = lines.stream().filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            invalid += dropped[0];
            for (PatternGenerator.Entry entry : tree) {
                boolean expected = naiveIsIgnored(patternLines, entry.path(), entry.directory());
                if (rules.isIgnored(entry.path(), entry.directory()) != expected) {
                    mismatches.add(patternLines + " on " + entry + ": expected " + expected);
                }
                ignored += expected ? 1 : 0;
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(ignored).isGreaterThan(10_000);
        assertThat(invalid).isGreaterThan(100);
    }

    @Test
    void ignoringADirectoryIgnoresEverythingBelowWhateverComesLater() {
        IgnoreRules rules = IgnoreRules.of(List.of("logs", "!logs/keep.txt", "!*.txt"));
        assertThat(rules.isIgnored("logs", true)).isTrue();
        assertThat(rules.isIgnored("logs/keep.txt", false)).isTrue();
        assertThat(rules.decidingRule("logs/keep.txt", false)).map(IgnoreRule::line).hasValue(1);
        // A file named "logs" is ignored too: the rule has no trailing slash.
        assertThat(rules.isIgnored("src/logs", false)).isTrue();
        assertThat(IgnoreRules.NONE.isIgnored("anything", false)).isFalse();
    }

    @Test
    void theRepositoryRootIsNeverIgnored() {
        IgnoreRules rules = IgnoreRules.of(List.of("*", "**"));
        assertThat(rules.isIgnored("", true)).isFalse();
        assertThat(rules.isIgnored("./", true)).isFalse();
        assertThat(rules.isIgnored("x", false)).isTrue();
    }

    private static boolean naiveIsIgnored(List<String> rules, String path, boolean isDirectory) {
        for (String ancestor : PathPatternTest.ancestors(path)) {
            String rule = lastMatch(rules, ancestor, true);
            if (rule != null && !rule.startsWith("!")) {
                return true;
            }
        }
        String rule = lastMatch(rules, path, isDirectory);
        return rule != null && !rule.startsWith("!");
    }

    private static String lastMatch(List<String> rules, String path, boolean isDirectory) {
        for (int i = rules.size() - 1; i >= 0; i--) {
            if (GitWildmatchReference.matchesDirectly(rules.get(i), path, isDirectory)) {
                return rules.get(i);
            }
        }
        return null;
    }
}
