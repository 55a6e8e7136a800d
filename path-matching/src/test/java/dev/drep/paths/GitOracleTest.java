package dev.drep.paths;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
    private static final int COVERING_PATTERNS = 160;

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

    /**
     * Covering and overlap against git: for each generated pattern, a {@code .gitignore} holding only it and
     * one {@code git check-ignore --no-index} over every path of {@link PatternGenerator#deepPaths} (files
     * five directories deep) says which paths the pattern covers. {@link PathPattern#covers} and
     * {@link PatternSet#coveringIndices} must agree on every path; for every pair of patterns, whenever git
     * has a path both cover {@link PatternOverlap#commonPath} must find one, and every witness it gives must
     * be covered by both according to git (a second batch of calls), including witnesses beyond the
     * enumerated paths. {@link PatternSet#overlapping} must agree with the pairwise answers.
     */
    @Test
    void coveringAndOverlapAgreeWithGitCheckIgnore() throws Exception {
        List<PatternGenerator.Entry> entries = PatternGenerator.deepPaths();
        // check-ignore takes a path that does not exist for a file, and one that exists as a directory for a
        // directory. (A trailing slash in its input is no substitute: it is matched as part of the text, so
        // "a/**" would cover "a/", which git never does to the directory a.) So files are asked in a repository
        // where nothing exists and directories in one where all of them do.
        Path files = Files.createDirectories(repository.resolve("files"));
        Path directories = Files.createDirectories(repository.resolve("directories"));
        git(files, List.of("init", "-q"), "");
        git(directories, List.of("init", "-q"), "");
        for (PatternGenerator.Entry entry : entries) {
            if (entry.directory()) {
                Files.createDirectories(directories.resolve(entry.path()));
            }
        }
        String fileInput = entries.stream().filter(e -> !e.directory()).map(PatternGenerator.Entry::path)
                .collect(Collectors.joining("\n")) + "\n";
        String directoryInput = entries.stream().filter(PatternGenerator.Entry::directory)
                .map(PatternGenerator.Entry::path).collect(Collectors.joining("\n")) + "\n";
        PatternGenerator generator = new PatternGenerator(SEED + 2, false);
        Set<String> texts = new LinkedHashSet<>();
        while (texts.size() < COVERING_PATTERNS) {
            String text = generator.coveringPattern();
            try {
                PathPattern.compile(text);
                texts.add(text);
            } catch (InvalidPatternException e) {
                // Only patterns a reservation can hold take part; invalid lines are the other test's business.
            }
        }
        List<PathPattern> patterns = texts.stream().map(PathPattern::compile).toList();
        List<String> mismatches = new ArrayList<>();

        List<BitSet> covered = new ArrayList<>();
        for (PathPattern pattern : patterns) {
            Set<String> ignoredFiles = ignoredBy(files, pattern.text(), fileInput);
            Set<String> ignoredDirectories = ignoredBy(directories, pattern.text(), directoryInput);
            BitSet bits = new BitSet();
            for (int e = 0; e < entries.size(); e++) {
                PatternGenerator.Entry entry = entries.get(e);
                boolean git = (entry.directory() ? ignoredDirectories : ignoredFiles).contains(entry.path());
                bits.set(e, git);
                if (pattern.covers(entry.path(), entry.directory()) != git) {
                    mismatches.add(pattern.text() + " on " + entry + ": git says covered=" + git);
                }
            }
            covered.add(bits);
        }
        PatternSet set = PatternSet.of(patterns);
        for (int e = 0; e < entries.size(); e++) {
            PatternGenerator.Entry entry = entries.get(e);
            int index = e;
            int[] git = IntStream.range(0, patterns.size()).filter(i -> covered.get(i).get(index)).toArray();
            if (!Arrays.equals(set.coveringIndices(entry.path(), entry.directory()), git)) {
                mismatches.add("the set on " + entry + ": git says " + Arrays.toString(git));
            }
        }

        int overlapping = 0;
        int disjoint = 0;
        int beyondBound = 0;
        int pairs = 0;
        List<Set<String>> witnesses = new ArrayList<>();
        patterns.forEach(p -> witnesses.add(new LinkedHashSet<>()));
        for (int i = 0; i < patterns.size(); i++) {
            BitSet ours = new BitSet();
            for (int j = 0; j < patterns.size(); j++) {
                Optional<String> witness = PatternOverlap.commonPath(patterns.get(i), patterns.get(j));
                ours.set(j, witness.isPresent());
                if (j <= i) {
                    continue;
                }
                pairs++;
                boolean git = covered.get(i).intersects(covered.get(j));
                if (git && witness.isEmpty()) {
                    mismatches.add(patterns.get(i).text() + " and " + patterns.get(j).text()
                            + ": git covers a path with both, overlap says none");
                }
                if (witness.isPresent()) {
                    witnesses.get(i).add(witness.get());
                    witnesses.get(j).add(witness.get());
                    overlapping++;
                    beyondBound += git ? 0 : 1;
                } else {
                    disjoint++;
                }
            }
            BitSet fromSet = new BitSet();
            Arrays.stream(set.overlapping(patterns.get(i))).forEach(fromSet::set);
            if (!fromSet.equals(ours)) {
                mismatches.add("the set's overlap with " + patterns.get(i).text() + " is " + fromSet + ", pairwise " + ours);
            }
        }
        for (int i = 0; i < patterns.size(); i++) {
            Set<String> mine = witnesses.get(i);
            if (mine.isEmpty()) {
                continue;
            }
            List<String> asFiles = mine.stream().filter(w -> !w.endsWith("/")).toList();
            List<String> asDirectories = new ArrayList<>();
            for (String witness : mine) {
                if (witness.endsWith("/")) {
                    String path = witness.substring(0, witness.length() - 1);
                    Files.createDirectories(directories.resolve(path));
                    asDirectories.add(path);
                }
            }
            Set<String> ignored = new HashSet<>();
            if (!asFiles.isEmpty()) {
                ignored.addAll(ignoredBy(files, patterns.get(i).text(), String.join("\n", asFiles) + "\n"));
            }
            if (!asDirectories.isEmpty()) {
                ignoredBy(directories, patterns.get(i).text(), String.join("\n", asDirectories) + "\n")
                        .forEach(path -> ignored.add(path + "/"));
            }
            for (String witness : mine) {
                if (!ignored.contains(witness)) {
                    mismatches.add("witness " + witness + " is not covered by " + patterns.get(i).text() + " in git");
                }
            }
        }

        assertThat(mismatches).isEmpty();
        // The generator must reach the syntax and the outcomes the issue names for the agreement to mean much.
        assertThat(pairs).isGreaterThan(3_000);
        assertThat(overlapping).isGreaterThan(1_000);
        assertThat(disjoint).isGreaterThan(1_000);
        assertThat(beyondBound).as("overlaps only beyond the enumerated paths").isGreaterThan(0);
        assertThat(texts).filteredOn(t -> t.contains("**")).hasSizeGreaterThan(40);
        assertThat(texts).filteredOn(t -> t.contains("[")).hasSizeGreaterThan(40);
        assertThat(texts).filteredOn(t -> t.indexOf('/') >= 0 && t.indexOf('/') < t.length() - 1).hasSizeGreaterThan(40);
        assertThat(texts).filteredOn(t -> t.endsWith("/")).hasSizeGreaterThan(20);
        assertThat(entries).filteredOn(e -> e.path().split("/").length >= 6).isNotEmpty();
    }

    /** The input lines git ignores in {@code directory} under a root {@code .gitignore} holding only {@code pattern}. */
    private Set<String> ignoredBy(Path directory, String pattern, String stdin) throws IOException, InterruptedException {
        Files.writeString(directory.resolve(".gitignore"), pattern + "\n");
        Set<String> ignored = new HashSet<>();
        List<String> checkIgnore = List.of("check-ignore", "--no-index", "-v", "-n", "--stdin");
        for (Map.Entry<String, String> line : parse(git(directory, checkIgnore, stdin)).entrySet()) {
            if (!line.getValue().isEmpty()) {
                ignored.add(line.getKey());
            }
        }
        return ignored;
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
        return git(repository, arguments, stdin);
    }

    private String git(Path directory, List<String> arguments, String stdin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
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
