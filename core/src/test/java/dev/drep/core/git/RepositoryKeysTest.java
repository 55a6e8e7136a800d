package dev.drep.core.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The repository key that local reviews and the guard hooks both use for file reservations. */
class RepositoryKeysTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://github.com/acme/docs.git, acme/docs",
            "https://github.com/acme/docs, acme/docs",
            "https://github.com/acme/docs/, acme/docs",
            "git@github.com:acme/docs.git, acme/docs",
            "ssh://git@gitea.example.com:2222/acme/docs.git, acme/docs",
            "https://gitlab.com/group/sub/project.git, group/sub/project",
            "file:///srv/git/docs.git, docs",
            "/srv/git/docs.git, docs",
            "../docs, docs",
            "C:/repos/docs.git, docs",
    })
    void keysFromRemoteUrls(String url, String key) {
        assertThat(RepositoryKeys.fromUrl(url)).isEqualTo(key);
    }

    @Test
    void theGitConfigurationWinsThenTheRemoteThenTheFolderName() throws Exception {
        try (Git git = Git.init().setDirectory(dir.resolve("my-project").toFile()).call()) {
            assertThat(RepositoryKeys.of(git.getRepository())).isEqualTo("my-project");
            StoredConfig config = git.getRepository().getConfig();
            config.setString("remote", "upstream", "url", "https://gitea.example.com/team/project.git");
            config.save();
            assertThat(RepositoryKeys.of(git.getRepository())).isEqualTo("team/project");
            config.setString("remote", "origin", "url", "git@github.com:acme/widgets.git");
            config.save();
            assertThat(RepositoryKeys.of(git.getRepository())).isEqualTo("acme/widgets");
            config.setString("drep", null, "repository", "team/renamed");
            config.save();
            assertThat(RepositoryKeys.of(git.getRepository())).isEqualTo("team/renamed");
        }
    }
}
