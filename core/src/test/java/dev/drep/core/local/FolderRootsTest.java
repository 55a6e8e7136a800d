package dev.drep.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FolderRootsTest {

    @Test
    void pathsUnderARootAreInsideWhetherOrNotTheyExist() throws Exception {
        Path root = Files.createTempDirectory("roots").toRealPath();
        FolderRoots roots = new FolderRoots(List.of(root.toString()));
        assertThat(roots.contain(root.resolve("repo").toString())).contains(root.resolve("repo"));
        assertThat(roots.contain(root.resolve("not/yet/made").toString())).contains(root.resolve("not/yet/made"));
        assertThat(roots.contain(root.toString())).contains(root);
    }

    @Test
    void pathsOutsideEveryRootAreOutsideAlsoThroughDotDotAndLinks() throws Exception {
        Path root = Files.createTempDirectory("roots").toRealPath();
        Path outside = Files.createTempDirectory("elsewhere").toRealPath();
        Files.createSymbolicLink(root.resolve("link"), outside);
        FolderRoots roots = new FolderRoots(List.of(root.toString()));
        assertThat(roots.contain(root.resolve("../" + outside.getFileName()).toString())).isEmpty();
        assertThat(roots.contain(root.resolve("link/repo").toString())).isEmpty();
        assertThat(roots.contain("/etc")).isEmpty();
        assertThat(roots.contain(root + "-sibling")).as("a prefix of the name is not a parent").isEmpty();
        assertThat(new FolderRoots(List.of()).contain(root.toString())).isEmpty();
    }
}
