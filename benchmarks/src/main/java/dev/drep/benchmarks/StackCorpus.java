package dev.drep.benchmarks;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.LineRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The pull requests of {@link AnalyzerCorpus} as real git repositories, for {@link StackThroughputBenchmark}:
 * one repository per pull request, with a base commit on {@code main} and the pull request's head on
 * branch {@code pr}. A file the pull request adds is absent from the base; a modified file's base is its
 * head without the lines of its changed ranges, so that the diff adds exactly those lines back. Every
 * file starts with a comment naming its pull request, so no two pull requests share a blob and no cache
 * can answer one pull request's files with another's analysis. Lock files are left out: the scanner
 * routes them to no analyzer by design, and the benchmark's coverage check wants every changed file
 * analysed. The base also holds a few files the pull request does not touch.
 */
final class StackCorpus {
    /** Base branch of every repository. */
    static final String BASE = "main";
    /** Head branch of every repository. */
    static final String HEAD = "pr";

    private static final PersonIdent AUTHOR = new PersonIdent("drep bench", "bench@drep.invalid");

    /**
     * One pull request on disk.
     *
     * @param number     its number in the corpus
     * @param repository the repository folder
     * @param changed    the paths it changes (added or modified)
     */
    record PullRequestRepository(int number, Path repository, List<String> changed) {
    }

    private StackCorpus() {
    }

    /**
     * Writes {@code prs} repositories under {@code root}, named {@code <prefix>-001} and so on.
     *
     * @param corpus the generator
     * @param root   the folder to write into
     * @param prefix the repositories' name prefix
     * @param prs    how many
     * @return the repositories, in order
     */
    static List<PullRequestRepository> write(AnalyzerCorpus corpus, Path root, String prefix, int prs)
            throws IOException, GitAPIException {
        List<PullRequestRepository> written = new ArrayList<>(prs);
        for (AnalyzerCorpus.PullRequest pr : corpus.pullRequests(prs)) {
            Path dir = root.resolve(String.format(Locale.ROOT, "%s-%03d", prefix, pr.number()));
            written.add(write(pr, prefix, dir));
        }
        return written;
    }

    private static PullRequestRepository write(AnalyzerCorpus.PullRequest pr, String prefix, Path dir)
            throws IOException, GitAPIException {
        Files.createDirectories(dir);
        List<String> changed = new ArrayList<>();
        try (Git git = Git.init().setInitialBranch(BASE).setDirectory(dir.toFile()).call()) {
            put(dir, "README.md", "# " + prefix + " " + pr.number() + "\n\nA synthetic repository of drep's benchmarks.\n");
            put(dir, "docs/CONTRIBUTING.md", "# Contributing\n\nRun the tests before sending a change.\n");
            put(dir, "config/app.yaml", "app:\n  name: bench-" + pr.number() + "\n  replicas: 2\n");
            List<FileToAnalyze> files = new ArrayList<>();
            for (FileToAnalyze file : pr.files()) {
                if (file.path().endsWith("package-lock.json")) {
                    continue;
                }
                FileToAnalyze unique = withHeader(file, prefix + " " + pr.number());
                files.add(unique);
                if (!isNew(unique)) {
                    put(dir, unique.path(), base(unique));
                }
            }
            commit(git, "base of pull request " + pr.number());
            git.checkout().setCreateBranch(true).setName(HEAD).call();
            for (FileToAnalyze file : files) {
                put(dir, file.path(), file.content());
                changed.add(file.path());
            }
            commit(git, "pull request " + pr.number() + ": " + files.size() + " files");
        }
        return new PullRequestRepository(pr.number(), dir, List.copyOf(changed));
    }

    private static void commit(Git git, String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
    }

    private static void put(Path dir, String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** The file with a first line naming the pull request, its changed ranges moved down by one line. */
    private static FileToAnalyze withHeader(FileToAnalyze file, String name) {
        String path = file.path();
        String header;
        if (path.endsWith(".md")) {
            header = "<!-- " + name + " -->";
        } else if (path.endsWith(".py") || path.endsWith(".yaml")) {
            header = "# " + name;
        } else {
            header = "// " + name;
        }
        boolean added = isNew(file);
        int lines = lineCount(file.content()) + 1;
        List<LineRange> ranges = added ? List.of(new LineRange(1, lines))
                : file.changedLines().stream().map(r -> new LineRange(r.start() + 1, r.end() + 1)).toList();
        return new FileToAnalyze(path, file.blobSha(), header + "\n" + file.content(), ranges);
    }

    private static boolean isNew(FileToAnalyze file) {
        return file.changedLines().size() == 1 && file.changedLines().get(0).start() == 1
                && file.changedLines().get(0).end() >= lineCount(file.content());
    }

    /** The head without the lines of the changed ranges. */
    private static String base(FileToAnalyze file) {
        String[] lines = file.content().split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            if (file.changedLines().stream().noneMatch(r -> line >= r.start() && line <= r.end())) {
                out.append(lines[i]);
                if (i < lines.length - 1) {
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    private static int lineCount(String text) {
        return (int) text.lines().count();
    }
}
