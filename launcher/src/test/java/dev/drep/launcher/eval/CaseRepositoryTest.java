package dev.drep.launcher.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaseRepositoryTest {
    private static final Path CORPUS = Path.of("..", "eval", "corpus");

    @TempDir
    Path dir;

    @Test
    void theChangeBetweenBaseAndHeadIsTheCasesChangeAsGitSeesIt() throws Exception {
        EvalCase modified = EvalCorpus.read(CORPUS.resolve("java-06-try-with-resources-clean"));

        CaseRepository repository = CaseRepository.create(modified, dir.resolve("repo"));

        assertThat(git(repository.folder(), "diff", "--name-status", repository.base(), repository.head()))
                .containsExactly("M\tsrc/main/java/org/acme/io/LineCounter.java");
    }

    @Test
    void aCaseWithoutBaseFilesAddsItsFilesToAnEmptyCommit() throws Exception {
        EvalCase added = EvalCorpus.read(CORPUS.resolve("go-01-ignored-error"));

        CaseRepository repository = CaseRepository.create(added, dir.resolve("repo"));

        assertThat(git(repository.folder(), "ls-tree", "-r", "--name-only", repository.base())).isEmpty();
        assertThat(git(repository.folder(), "diff", "--name-status", repository.base(), repository.head()))
                .containsExactly("A\tinternal/flags/load.go");
    }

    private static List<String> git(Path repository, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repository.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(l -> !l.isBlank()).toList();
    }
}
