package dev.drep.launcher.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drep.launcher.LauncherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCorpusTest {
    // the launcher module's folder is the working directory of its tests
    private static final Path CORPUS = Path.of("..", "eval", "corpus");

    @TempDir
    Path dir;

    @Test
    void theShippedCorpusHasFortyCasesAcrossFiveLanguagesAboutHalfOfThemClean() throws LauncherException {
        List<EvalCase> cases = EvalCorpus.load(CORPUS);

        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        long clean = cases.stream().filter(EvalCase::clean).count();
        assertThat(clean).isBetween(cases.size() * 2L / 5, cases.size() * 3L / 5);
        Map<String, Long> families = cases.stream().collect(Collectors.groupingBy(
                c -> c.language().equals("typescript") ? "javascript" : c.language(), Collectors.counting()));
        assertThat(families.keySet()).containsExactlyInAnyOrder("java", "python", "javascript", "go", "markdown");
        assertThat(families.values()).allMatch(n -> n >= 5);
    }

    @Test
    void everyFileOfTheShippedCorpusHasAPathOfItsOwnSoThatAFakeModelCanTellTheCasesApart() throws IOException, LauncherException {
        List<String> paths = new java.util.ArrayList<>();
        for (EvalCase evalCase : EvalCorpus.load(CORPUS)) {
            try (Stream<Path> files = Files.walk(evalCase.head())) {
                files.filter(Files::isRegularFile).forEach(f -> paths.add(evalCase.head().relativize(f).toString()));
            }
        }
        assertThat(Set.copyOf(paths)).hasSameSizeAs(paths);
    }

    @Test
    void aCaseIsReadWithItsProblems() throws Exception {
        Path folder = newCase("one", "title: Add a thing\nlanguage: java\nproblems:\n  - path: src/A.java\n    line: 2\n"
                + "    about: wrong\n", "src/A.java", "class A {\n  int x = 1 / 0;\n}\n");

        EvalCase evalCase = EvalCorpus.load(folder.getParent()).get(0);

        assertThat(evalCase.id()).isEqualTo("one");
        assertThat(evalCase.clean()).isFalse();
        assertThat(evalCase.problems()).containsExactly(new EvalCase.Problem("src/A.java", 2, "wrong"));
    }

    @Test
    void aCaseWithoutTitleIsRefusedNamingTheCase() throws Exception {
        Path folder = newCase("untitled", "language: go\nproblems: []\n", "a.go", "package a\n");

        assertThatThrownBy(() -> EvalCorpus.load(folder.getParent()))
                .hasMessageContaining("Case untitled").hasMessageContaining("needs a title");
    }

    @Test
    void aProblemOnALineTheFileDoesNotHaveIsRefused() throws Exception {
        Path folder = newCase("short", "title: t\nlanguage: go\nproblems:\n  - path: a.go\n    line: 7\n", "a.go",
                "package a\n");

        assertThatThrownBy(() -> EvalCorpus.load(folder.getParent()))
                .hasMessageContaining("Case short").hasMessageContaining("line 7 of a.go, which has 1 lines");
    }

    @Test
    void aProblemOnAFileTheChangeDoesNotHaveIsRefused() throws Exception {
        Path folder = newCase("elsewhere", "title: t\nlanguage: go\nproblems:\n  - path: b.go\n    line: 1\n", "a.go",
                "package a\n");

        assertThatThrownBy(() -> EvalCorpus.load(folder.getParent()))
                .hasMessageContaining("Case elsewhere").hasMessageContaining("b.go, which is not a file of head/");
    }

    @Test
    void aMisspelledFieldIsRefusedRatherThanIgnored() throws Exception {
        Path folder = newCase("typo", "title: t\nlanguage: go\nproblem: []\n", "a.go", "package a\n");

        assertThatThrownBy(() -> EvalCorpus.load(folder.getParent()))
                .hasMessageContaining("Case typo").hasMessageContaining("problem");
    }

    @Test
    void aFolderWithoutCasesIsRefused() {
        assertThatThrownBy(() -> EvalCorpus.load(dir)).hasMessageContaining("has no case");
        assertThatThrownBy(() -> EvalCorpus.load(dir.resolve("missing"))).hasMessageContaining("does not exist");
    }

    private Path newCase(String id, String yaml, String path, String content) throws IOException {
        Path folder = dir.resolve("corpus").resolve(id);
        Files.createDirectories(folder.resolve("head").resolve(path).getParent());
        Files.writeString(folder.resolve("head").resolve(path), content);
        Files.writeString(folder.resolve(EvalCorpus.CASE_FILE), yaml);
        return folder;
    }
}
