package dev.drep.testsupport.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A real git repository made by a test: write files, delete them, commit, branch. Commits carry a
 * fixed author so ids are reproducible within a test.
 */
public final class TestRepository implements AutoCloseable {
    private static final PersonIdent AUTHOR = new PersonIdent("drep test", "test@drep.dev");

    private final Git git;
    private final Path root;

    private TestRepository(Git git, Path root) {
        this.git = git;
        this.root = root;
    }

    /** Creates an empty repository whose default branch is {@code main}. */
    public static TestRepository init(Path dir) {
        try {
            Files.createDirectories(dir);
            return new TestRepository(Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the work tree */
    public Path root() {
        return root;
    }

    /** Writes a text file (UTF-8), creating folders. */
    public TestRepository write(String path, String content) {
        return writeBytes(path, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes raw bytes (binary files, invalid UTF-8). */
    public TestRepository writeBytes(String path, byte[] content) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a file from the work tree (staged by the next {@link #commit}). */
    public TestRepository delete(String path) {
        try {
            Files.delete(root.resolve(path));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stages everything (additions, changes, deletions) and commits; returns the commit id. */
    public String commit(String message) {
        try {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            RevCommit commit = git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).call();
            return commit.getName();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates and checks out a branch at the current commit. */
    public TestRepository branch(String name) {
        try {
            git.checkout().setCreateBranch(true).setName(name).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks out an existing branch. */
    public TestRepository checkout(String name) {
        try {
            git.checkout().setName(name).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
