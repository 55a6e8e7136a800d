package dev.drep.core.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.testsupport.git.TestRepository;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnifiedDiffsTest {

    @TempDir
    Path dir;

    @Test
    void eachChangedFileGetsItsUnifiedDiffInPathOrderIgnoredPathsLeftOut() {
        try (TestRepository repo = TestRepository.init(dir)) {
            String base = repo.write("b.md", "one\ntwo\n").write("gone.md", "bye\n").write("secret/x.md", "x\n")
                    .commit("base");
            String head = repo.write("b.md", "one\nTWO\n").delete("gone.md").write("a.md", "new\n")
                    .write("secret/x.md", "y\n").commit("head");
            try (Repository git = LocalRepositories.open(dir)) {
                List<UnifiedDiffs.FileDiff> diffs = UnifiedDiffs.of(git, new RevisionRange(base, head),
                        p -> p.startsWith("secret/"), 10_000, 100_000, 100);

                assertThat(diffs).extracting(UnifiedDiffs.FileDiff::path).containsExactly("a.md", "b.md", "gone.md");
                assertThat(diffs.get(1).text()).contains("-two").contains("+TWO").startsWith("diff --git a/b.md b/b.md");
                assertThat(diffs.get(2).text()).contains("deleted file").contains("-bye");
            }
        }
    }

    @Test
    void aHugeChangeIsCutPerFileAndInTotal() {
        try (TestRepository repo = TestRepository.init(dir)) {
            String base = repo.write("keep.md", "k\n").commit("base");
            for (int i = 0; i < 5; i++) {
                repo.write("f" + i + ".md", "line\n".repeat(2_000));
            }
            String head = repo.commit("big");
            try (Repository git = LocalRepositories.open(dir)) {
                List<UnifiedDiffs.FileDiff> diffs = UnifiedDiffs.of(git, new RevisionRange(base, head), p -> false,
                        1_000, 2_500, 4);

                assertThat(diffs).hasSize(4);
                assertThat(diffs.get(0).text()).hasSize(1_000);
                assertThat(diffs.get(0).cut()).isTrue();
                assertThat(diffs.get(2).text()).hasSize(500);
                assertThat(diffs.get(3).text()).isNull();
            }
        }
    }
}
