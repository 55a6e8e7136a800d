package dev.drep.core.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drep.contracts.LineRange;
import dev.drep.testsupport.git.TestRepository;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeListingTest {

    @TempDir
    Path dir;

    @Test
    void listsAddsModificationsRenamesAndDeletionsWithTheChangedLinesOfHead() {
        try (TestRepository repo = TestRepository.init(dir)) {
            String base = repo.write("README.md", "one\ntwo\nthree\nfour\n")
                    .write("old-name.md", "a\nb\nc\nd\ne\nf\ng\nh\n")
                    .write("gone.md", "bye\n")
                    .commit("base");
            String head = repo.write("README.md", "one\nTWO\nthree\nfour\nfive\n")
                    .delete("old-name.md").write("new-name.md", "a\nb\nc\nd\ne\nf\ng\nh\n")
                    .delete("gone.md")
                    .write("docs/added.md", "x\ny\n")
                    .commit("head");
            try (Repository repository = LocalRepositories.open(dir)) {
                List<ChangedFile> files = ChangeListing.list(repository, new RevisionRange(base, head));

                assertThat(files).extracting(ChangedFile::type, ChangedFile::path).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ChangeType.MODIFIED, "README.md"),
                        org.assertj.core.groups.Tuple.tuple(ChangeType.RENAMED, "new-name.md"),
                        org.assertj.core.groups.Tuple.tuple(ChangeType.DELETED, "gone.md"),
                        org.assertj.core.groups.Tuple.tuple(ChangeType.ADDED, "docs/added.md"));
                assertThat(byPath(files, "README.md").changedLines())
                        .containsExactly(new LineRange(2, 2), new LineRange(5, 5));
                assertThat(byPath(files, "new-name.md").oldPath()).isEqualTo("old-name.md");
                assertThat(byPath(files, "new-name.md").changedLines()).isEmpty();
                assertThat(byPath(files, "docs/added.md").changedLines()).containsExactly(new LineRange(1, 2));
                assertThat(byPath(files, "gone.md").blobId()).isNull();
            }
        }
    }

    @Test
    void baseEqualToHeadHasNothingToList() {
        try (TestRepository repo = TestRepository.init(dir)) {
            String head = repo.write("a.md", "a\n").commit("only");
            try (Repository repository = LocalRepositories.open(dir)) {
                assertThat(ChangeListing.list(repository, new RevisionRange(head, head))).isEmpty();
            }
        }
    }

    @Test
    void defaultBaseIsTheMergeBaseWithTheDefaultBranchElseTheParent() {
        try (TestRepository repo = TestRepository.init(dir)) {
            String first = repo.write("a.md", "a\n").commit("first");
            String second = repo.write("a.md", "a\nb\n").commit("second");
            repo.branch("feature");
            repo.write("b.md", "b\n").commit("feature 1");
            String featureHead = repo.write("c.md", "c\n").commit("feature 2");
            try (Repository repository = LocalRepositories.open(dir)) {
                assertThat(Revisions.resolve(repository, null, null)).isEqualTo(new RevisionRange(second, featureHead));
                assertThat(Revisions.resolve(repository, null, "main")).isEqualTo(new RevisionRange(first, second));
                assertThat(Revisions.resolve(repository, first, "main")).isEqualTo(new RevisionRange(first, second));
                assertThat(Revisions.resolve(repository, null, first)).isEqualTo(new RevisionRange(null, first));
            }
        }
    }

    @Test
    void unknownRevisionAndNonRepositoryAreNamed() {
        try (TestRepository repo = TestRepository.init(dir.resolve("repo"))) {
            repo.write("a.md", "a\n").commit("first");
            try (Repository repository = LocalRepositories.open(dir.resolve("repo"))) {
                assertThatThrownBy(() -> Revisions.resolve(repository, "no-such-branch", null))
                        .isInstanceOf(RepositoryProblem.class).hasMessageContaining("unknown revision 'no-such-branch'");
            }
        }
        assertThatThrownBy(() -> LocalRepositories.open(dir.resolve("plain-folder").toAbsolutePath().getParent()))
                .isInstanceOf(RepositoryProblem.class).hasMessageContaining("is not a git repository");
        assertThatThrownBy(() -> LocalRepositories.open(dir.resolve("missing")))
                .isInstanceOf(RepositoryProblem.class).hasMessageContaining("does not exist");
    }

    private static ChangedFile byPath(List<ChangedFile> files, String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
    }
}
