package dev.drep.core.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Opens git repositories on disk, answering with a {@link RepositoryProblem} that names the path. */
public final class LocalRepositories {
    private LocalRepositories() {
    }

    /**
     * Opens the repository at {@code path} (a work tree or a bare repository).
     *
     * @throws RepositoryProblem when the path does not exist or is not a git repository
     */
    public static Repository open(Path path) {
        if (!Files.isDirectory(path)) {
            throw new RepositoryProblem("'" + path + "' does not exist or is not a folder");
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
        File dir = path.toFile();
        if (Files.isDirectory(path.resolve(".git"))) {
            builder.setWorkTree(dir).setGitDir(path.resolve(".git").toFile());
        } else if (Files.isRegularFile(path.resolve("HEAD")) && Files.isDirectory(path.resolve("objects"))) {
            builder.setGitDir(dir);
        } else {
            throw new RepositoryProblem("'" + path + "' is not a git repository (no .git folder): "
                    + "pass the top folder of a git work tree or a bare repository");
        }
        try {
            return builder.build();
        } catch (IOException e) {
            throw new RepositoryProblem("'" + path + "' is not a readable git repository: " + e.getMessage(), e);
        }
    }
}
