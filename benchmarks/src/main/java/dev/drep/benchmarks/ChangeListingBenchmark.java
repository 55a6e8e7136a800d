package dev.drep.benchmarks;

import dev.drep.core.git.ChangeListing;
import dev.drep.core.git.ChangedFile;
import dev.drep.core.git.LocalRepositories;
import dev.drep.core.git.RevisionRange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Changed-file listing for a commit range touching 200 files: JGit in-process (what the scanner
 * does, including the changed line ranges of every file) against {@code git diff --name-only} as a
 * subprocess (names only), on the same repository in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChangeListingBenchmark {
    private Path dir;
    private Repository repository;
    private RevisionRange range;

    @Setup(Level.Trial)
    public void createRepository() throws Exception {
        dir = Files.createTempDirectory("drep-bench-changes");
        PersonIdent author = new PersonIdent("bench", "bench@drep.dev");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            for (int i = 0; i < 400; i++) {
                write("src/module" + (i % 20) + "/File" + i + ".md", body(i, 0));
            }
            git.add().addFilepattern(".").call();
            String base = git.commit().setMessage("base").setAuthor(author).setCommitter(author).call().getName();
            for (int i = 0; i < 200; i++) {
                write("src/module" + (i % 20) + "/File" + i + ".md", body(i, 1));
            }
            git.add().addFilepattern(".").call();
            String head = git.commit().setMessage("head").setAuthor(author).setCommitter(author).call().getName();
            range = new RevisionRange(base, head);
        }
        repository = LocalRepositories.open(dir);
        if (ChangeListing.list(repository, range).size() != 200 || gitDiffNameOnly().size() != 200) {
            throw new IllegalStateException("the benchmark repository does not have 200 changed files");
        }
    }

    private void write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static String body(int file, int version) {
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < 60; line++) {
            text.append("Line ").append(line).append(" of file ").append(file);
            if (version == 1 && line % 15 == 0) {
                text.append(" (changed)");
            }
            text.append('\n');
        }
        return text.toString();
    }

    @TearDown(Level.Trial)
    public void deleteRepository() throws IOException {
        repository.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Names only, in-process: the same answer as {@code git diff --name-only}. */
    @Benchmark
    public List<String> jgitNamesInProcess() {
        return ChangeListing.listPaths(repository, range);
    }

    /** Names only, subprocess. */
    @Benchmark
    public List<String> gitNamesSubprocess() throws Exception {
        return gitDiffNameOnly();
    }

    /** What the scanner needs: names plus the changed line ranges of every file, in-process. */
    @Benchmark
    public List<ChangedFile> jgitWithLineRangesInProcess() {
        return ChangeListing.list(repository, range);
    }

    /** The same information from a subprocess: {@code git diff -U0} and its hunk headers parsed. */
    @Benchmark
    public int gitWithLineRangesSubprocess() throws Exception {
        Process process = new ProcessBuilder("git", "diff", "-U0", "--no-color", "-M", range.base(), range.head())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        int hunks = 0;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("@@ ")) {
                    int plus = line.indexOf(" +");
                    int end = line.indexOf(' ', plus + 2);
                    String[] range = line.substring(plus + 2, end).split(",");
                    hunks += Integer.parseInt(range[0]) >= 0 ? 1 : 0;
                }
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException("git diff failed");
        }
        return hunks;
    }

    private List<String> gitDiffNameOnly() throws Exception {
        Process process = new ProcessBuilder("git", "diff", "--name-only", range.base(), range.head())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        try (InputStream out = process.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("git diff failed: " + text);
            }
            return text.lines().toList();
        }
    }
}
