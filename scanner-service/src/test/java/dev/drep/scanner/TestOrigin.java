package dev.drep.scanner;

import dev.drep.testsupport.git.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A "platform" repository for tests: a bare repository that drep fetches from over real git transport
 * ({@code file://}), and a work tree that commits and pushes branches and pull request refs to it.
 */
public final class TestOrigin implements AutoCloseable {
    /** the bare repository */
    public final Path bare;
    /** the work tree pushing to it */
    public final TestRepository work;
    private final Path workDir;

    private TestOrigin(Path bare, Path workDir) {
        this.bare = bare;
        this.workDir = workDir;
        this.work = TestRepository.init(workDir);
    }

    /** @return an empty bare repository (default branch main) and a fresh work tree */
    public static TestOrigin create() throws Exception {
        Path dir = Files.createTempDirectory("origin");
        Git.init().setBare(true).setDirectory(dir.resolve("origin.git").toFile()).setInitialBranch("main").call().close();
        return new TestOrigin(dir.resolve("origin.git"), dir.resolve("work"));
    }

    /** @return the clone URL, {@code file:///...} */
    public String url() {
        return bare.toUri().toString().replaceAll("/$", "");
    }

    /** Force-pushes the local ref (e.g. {@code refs/heads/feature}) to the remote ref (e.g. {@code refs/pull/7/head}). */
    public TestOrigin push(String local, String remote) throws Exception {
        try (Git git = Git.open(workDir.toFile())) {
            git.push().setRemote(url()).setRefSpecs(new RefSpec("+" + local + ":" + remote)).call();
        }
        return this;
    }

    @Override
    public void close() {
        work.close();
    }
}
