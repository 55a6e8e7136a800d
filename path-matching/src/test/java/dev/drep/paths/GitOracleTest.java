package dev.drep.paths;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * git itself as the oracle: random {@code .gitignore} files (root and nested) over a fixed tree of files and
 * directories, compared rule by rule with {@code git check-ignore --no-index -v -n --stdin}, which names the
 * deciding rule (source, line, pattern) or none for every path.
 *
 * <p>Left out of the generator, because git's behaviour there is not what one would specify and we
 * deliberately differ or cannot compare:
 * <ul>
 *   <li>non-ASCII names: git matches bytes ({@code ?} matches one byte of a UTF-8 sequence), we match code
 *       points;
 *   <li>under {@code core.ignoreCase}, upper-case letters inside brackets: git compares the folded path
 *       character with the unfolded member, so {@code [A]} matches nothing there, which we do not copy.
 * </ul>
 * Unclosed brackets and a trailing backslash are generated: git never matches such a line and
 * {@link IgnoreRules#parseLenient} drops it, which must come to the same thing.
 */
class GitOracleTest {

    private static final long SEED = 0x5EED_0003L;
    private static final int SCENARIOS = 500;
    private static final int CASE_INSENSITIVE_SCENARIOS = 150;

    @TempDir
    Path repository;

    @Test
    void decidingRuleAgreesWithGitCheckIgnore() throws Exception {
        Outcomes outcomes = runScenarios(SCENARIOS, false);
        assertThat(outcomes.mismatches).isEmpty();
        // The generator must actually reach every kind of outcome for the agreement to mean something.
        assertThat(outcomes.ignored).isGreaterThan(1_000);
        assertThat(outcomes.reIncluded).isGreaterThan(200);
        assertThat(outcomes.unmatched).isGreaterThan(1_000);
        assertThat(outcomes.byNestedFile).isGreaterThan(50);
        assertThat(outcomes.invalidLines).isGreaterThan(10);
    }

    @Test
    void caseInsensitiveMatchingAgreesWithGitIgnoreCase() throws Exception {
        Outcomes outcomes = runScenarios(CASE_INSENSITIVE_SCENARIOS, true);
        assertThat(outcomes.mismatches).isEmpty();
        assertThat(outcomes.ignored).isGreaterThan(300);
        assertThat(outcomes.unmatched).isGreaterThan(300);
    }

    private Outcomes runScenarios(int scenarios, boolean caseInsensitive) throws Exception {
        git(List.of("init", "-q"), "");
        List<PatternGenerator.Entry> tree = PatternGenerator.tree(caseInsensitive);
        for (PatternGenerator.Entry entry : tree) {
            Path p = repository.resolve(entry.path());
            if (entry.directory()) {
                Files.createDirectories(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.writeString(p, "x");
            }
        }
        String stdin = String.join("\n", tree.stream().map(PatternGenerator.Entry::path).toList()) + "\n";
        MatchOptions options = caseInsensitive ? MatchOptions.CASE_INSENSITIVE : MatchOptions.CASE_SENSITIVE;
        PatternGenerator generator = new PatternGenerator(SEED + (caseInsensitive ? 1 : 0), caseInsensitive);
        Outcomes outcomes = new Outcomes();
        for (int scenario = 0; scenario < scenarios; scenario++) {
            String root = String.join("\n", generator.lines(1, 5)) + "\n";
            String nested = generator.random().nextInt(3) == 0 ? String.join("\n", generator.lines(1, 3)) + "\n" : "";
            Files.writeString(repository.resolve(".gitignore"), root);
            Files.writeString(repository.resolve("a/.gitignore"), nested);

            List<String> command = new ArrayList<>();
            if (caseInsensitive) {
                command.addAll(List.of("-c", "core.ignoreCase=true"));
            }
            command.addAll(List.of("check-ignore", "--no-index", "-v", "-n", "--stdin"));
            Map<String, String> expected = parse(git(command, stdin));

            IgnoreRules rules = IgnoreRules.combine(
                    IgnoreRules.parseLenient(root, "", options, e -> outcomes.invalidLines++),
                    IgnoreRules.parseLenient(nested, "a", options, e -> outcomes.invalidLines++));
            for (PatternGenerator.Entry entry : tree) {
                String ours = rules.decidingRule(entry.path(), entry.directory())
                        .map(r -> r.source() + ":" + r.line() + ":" + r.text())
                        .orElse("");
                String theirs = expected.get(entry.path());
                if (!ours.equals(theirs)) {
                    outcomes.mismatches.add("scenario " + scenario + ", " + entry + ": git says '" + theirs
                            + "', we say '" + ours + "'\n.gitignore:\n" + root + "a/.gitignore:\n" + nested);
                }
                outcomes.count(theirs);
            }
        }
        return outcomes;
    }

    /** {@code source:line:pattern<TAB>path} per path; an empty rule for paths no rule decides. */
    private static Map<String, String> parse(String output) {
        Map<String, String> byPath = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int tab = line.indexOf('\t');
            String rule = line.substring(0, tab);
            byPath.put(line.substring(tab + 1), rule.equals("::") ? "" : rule);
        }
        return byPath;
    }

    private String git(List<String> arguments, String stdin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile());
        // Keep the user's and the system's configuration (a global excludes file!) out of the comparison.
        Map<String, String> env = builder.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("HOME", repository.toString());
        env.put("XDG_CONFIG_HOME", repository.toString());
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("git finished").isTrue();
        // check-ignore exits 1 when nothing is ignored; anything above is a real failure.
        assertThat(process.exitValue()).as("git %s failed: %s", arguments, err).isLessThanOrEqualTo(1);
        return out;
    }

    private static final class Outcomes {
        final List<String> mismatches = new ArrayList<>();
        int ignored;
        int reIncluded;
        int unmatched;
        int byNestedFile;
        int invalidLines;

        void count(String gitRule) {
            if (gitRule == null || gitRule.isEmpty()) {
                unmatched++;
                return;
            }
            if (gitRule.contains(":!")) {
                reIncluded++;
            } else {
                ignored++;
            }
            if (gitRule.startsWith("a/.gitignore")) {
                byNestedFile++;
            }
        }
    }
}
