package dev.drep.e2e;

import dev.drep.testsupport.git.TestRepository;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * An end-to-end test class on one {@link GiteaStack}: its {@code @BeforeAll} starts {@link #stack} in {@link #work}
 * ({@code stack = GiteaStack.of(REPOSITORY)…up(work)}), and the stack is stopped after the class's tests, after the
 * class's own {@code @AfterAll} methods.
 */
abstract class GiteaStackTest {
    /** The class's folder: the stack's data in {@code data}, the repositories the test makes. */
    @TempDir
    static Path work;
    /** The class's stack, set by its {@code @BeforeAll}. */
    static GiteaStack stack;

    /** The change these tests review as a pull request: one line added to {@code docs/guide.md}. */
    record GuideChange(String base, String head) {
        /** Commits the guide ({@code base}), then the guide with {@code line} added ({@code head}). */
        static GuideChange commit(TestRepository repo, String line) throws IOException {
            repo.write("docs/guide.md", "# Guide\n\nSome text.\n");
            String base = repo.commit("base");
            repo.write("docs/guide.md", "# Guide\n\nSome text.\n" + line + "\n");
            return new GuideChange(base, repo.commit("head"));
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }
}
