package dev.drep.benchmarks;

import dev.drep.paths.IgnoreRules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
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
 * The walk of a whole repository with its ignore rules ({@link RepositoryWalk}) for a commit of 10,000 files,
 * against {@code git ls-files} and {@code git ls-tree -r --name-only HEAD} as subprocesses on the same repository
 * in the same run. Target: at most 20 ms, and within 2x of {@code git ls-files}. The seed's figures for this hot
 * path: Python 200-500 ms, a Rust walker 20-50 ms.
 *
 * <p>The repository (fixed seed, packed with {@code git gc}): 10,000 tracked files in about 900 directories,
 * {@code services/svcN/{src,test,docs}/...}; a root {@code .gitignore} ({@code *.log}, {@code /tmp/},
 * {@code generated/}, {@code !keep.log}) and nested ones in every fifth service; committed files under
 * {@code node_modules/}, {@code build/} and {@code generated/} that the rules exclude. Before measuring, the
 * walk's answer is compared with git's own ({@code git ls-files} minus {@code git check-ignore --no-index} with
 * drep's defaults as {@code core.excludesFile}); the benchmark refuses to run when they differ.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RepositoryWalkBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RepositoryWalkBenchmark {
    static final int FILES = 10_000;

    private Path dir;
    private Repository repository;
    private ObjectId head;

    @Setup(Level.Trial)
    public void createRepository() throws Exception {
        dir = Files.createTempDirectory("drep-bench-walk");
        List<String> paths = layout(new Random(42));
        for (String path : paths) {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, path + "\n");
        }
        Files.writeString(dir.resolve(".gitignore"), "*.log\n!keep.log\n/tmp/\ngenerated/\n");
        for (int svc = 0; svc < 100; svc += 5) {
            Files.writeString(dir.resolve("services/svc" + svc + "/.gitignore"), "*.snap\n/docs/draft-*\n");
        }
        git("init", "-q", "-b", "main");
        // no automatic gc in the background: it would race the explicit one
        git("config", "gc.auto", "0");
        git("-c", "core.excludesFile=/dev/null", "add", "-A", "-f");
        git("-c", "user.name=bench", "-c", "user.email=bench@drep.dev", "commit", "-q", "-m", "tree");
        // packed, as a fetched mirror is
        git("gc", "-q");
        repository = new FileRepositoryBuilder().setGitDir(dir.resolve(".git").toFile()).setMustExist(true).build();
        head = repository.resolve("HEAD");

        List<String> tracked = gitLines("ls-files");
        if (tracked.size() != FILES + 21) {
            throw new IllegalStateException("expected " + (FILES + 21) + " tracked files (with the .gitignore files), got "
                    + tracked.size());
        }
        Set<String> expected = new HashSet<>(tracked);
        expected.removeAll(ignoredByGit(tracked));
        List<String> walked = RepositoryWalk.files(repository, head, IgnoreRules.NONE);
        if (!new HashSet<>(walked).equals(expected) || walked.size() != expected.size()) {
            throw new IllegalStateException("the walk disagrees with git: " + walked.size() + " files walked, "
                    + expected.size() + " expected");
        }
    }

    @TearDown(Level.Trial)
    public void deleteRepository() throws IOException {
        repository.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public List<String> walkWithIgnoreRules() throws IOException {
        return RepositoryWalk.files(repository, head, IgnoreRules.NONE);
    }

    @Benchmark
    public List<String> gitLsFiles() throws Exception {
        return gitLines("ls-files");
    }

    @Benchmark
    public List<String> gitLsTree() throws Exception {
        return gitLines("ls-tree", "-r", "--name-only", "HEAD");
    }

    /** 10,000 paths: sources, tests and docs of 100 services, plus content the ignore rules exclude. */
    static List<String> layout(Random random) {
        List<String> paths = new ArrayList<>(FILES);
        String[] ext = {"py", "java", "md", "ts", "go", "yaml", "json"};
        int i = 0;
        while (paths.size() < FILES) {
            int svc = random.nextInt(100);
            String base = "services/svc" + svc;
            int roll = random.nextInt(100);
            String path;
            if (roll < 55) {
                path = base + "/src/pkg" + random.nextInt(6) + "/mod" + random.nextInt(3) + "/file" + i + "."
                        + ext[random.nextInt(ext.length)];
            } else if (roll < 75) {
                path = base + "/test/test_" + i + ".py";
            } else if (roll < 85) {
                path = base + "/docs/" + (random.nextInt(10) == 0 ? "draft-" : "page-") + i + ".md";
            } else if (roll < 89) {
                path = base + "/node_modules/lib" + random.nextInt(20) + "/index" + i + ".js";
            } else if (roll < 92) {
                path = base + "/build/out" + i + ".class";
            } else if (roll < 94) {
                path = base + "/generated/gen" + i + ".java";
            } else if (roll < 96) {
                path = base + "/logs/run" + i + (random.nextInt(4) == 0 ? "/keep.log" : ".log");
            } else if (roll < 98) {
                path = base + "/src/__snapshots__/s" + i + ".snap";
            } else {
                path = "tmp/scratch" + i + ".txt";
            }
            paths.add(path);
            i++;
        }
        return paths;
    }

    private Set<String> ignoredByGit(List<String> tracked) throws Exception {
        Path defaults = dir.resolve(".git/drep-defaults");
        Files.write(defaults, IgnoreRules.DEFAULT_PATTERNS);
        Process process = new ProcessBuilder("git", "-c", "core.excludesFile=" + defaults, "check-ignore", "--no-index",
                "--stdin").directory(dir.toFile()).start();
        process.getOutputStream().write((String.join("\n", tracked) + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return new HashSet<>(out.lines().toList());
    }

    private List<String> gitLines(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try (InputStream out = process.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + text);
            }
            return text.lines().toList();
        }
    }

    private void git(String... args) throws Exception {
        gitLines(args);
    }
}
