package dev.drep.launcher.eval;

import dev.drep.launcher.LauncherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A case as a git repository: a commit of its {@code base/} files (an empty commit when it has none), then a commit of
 * its {@code head/} files, so that reviewing base..head is reviewing the case's change.
 *
 * @param folder the repository
 * @param base   the base commit's id
 * @param head   the head commit's id
 */
public record CaseRepository(Path folder, String base, String head) {
    private static final PersonIdent AUTHOR = new PersonIdent("drep eval", "eval@drep.invalid");

    /** Creates the repository of {@code evalCase} in {@code folder}, which must not exist yet or be empty. */
    public static CaseRepository create(EvalCase evalCase, Path folder) throws LauncherException {
        try (Git git = Git.init().setDirectory(folder.toFile()).setInitialBranch("main").call()) {
            if (Files.isDirectory(evalCase.base())) {
                copyTree(evalCase.base(), folder);
            }
            git.add().addFilepattern(".").call();
            RevCommit base = git.commit().setMessage("base of " + evalCase.id()).setAllowEmpty(true)
                    .setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
            clearWorkTree(folder);
            copyTree(evalCase.head(), folder);
            git.add().addFilepattern(".").call();
            git.add().setUpdate(true).addFilepattern(".").call();
            RevCommit head = git.commit().setMessage(evalCase.title()).setAllowEmpty(true)
                    .setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
            return new CaseRepository(folder, base.getName(), head.getName());
        } catch (GitAPIException | IOException e) {
            throw new LauncherException("Case " + evalCase.id() + ": cannot create its git repository in " + folder
                    + ": " + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path target = to.resolve(from.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void clearWorkTree(Path folder) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(folder)) {
            children = list.filter(p -> !p.getFileName().toString().equals(".git")).toList();
        }
        for (Path child : children) {
            try (Stream<Path> walk = Files.walk(child)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
