package dev.drep.launcher.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.testing.Terminal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code drep guard check} in-process, against a repository made by the test and a fake reservation API. */
class GuardCheckTest {
    private static final PersonIdent ME = new PersonIdent("Alice", "alice@example.com");

    @TempDir
    Path dir;
    Path repo;
    Git git;
    FakeReservationApi api;
    Terminal terminal;

    @BeforeEach
    void setUp() throws Exception {
        repo = dir.resolve("docs");
        git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        StoredConfig config = git.getRepository().getConfig();
        config.setString("user", null, "email", "alice@example.com");
        config.setString("remote", "origin", "url", "git@github.com:acme/docs.git");
        config.save();
        write("locked/a.md", "a\n");
        write("locked/old.md", "# A document long enough to be recognised as renamed\n".repeat(5));
        write("locked/gone.md", "bye\n");
        write("free/b.md", "b\n");
        commit("base");
        api = new FakeReservationApi().reserve("locked/", "bob");
        terminal = new Terminal(repo, dir.resolve("data"), dir.resolve("no-home")).with("DREP_URL", api.url());
    }

    @AfterEach
    void tearDown() {
        git.close();
        api.close();
    }

    @Test
    void stagedPathsUnderAnotherHoldersReservationBlockTheCommitWithHolderPatternReasonAndExpiry() throws Exception {
        write("locked/a.md", "changed\n");
        Files.move(repo.resolve("locked/old.md"), repo.resolve("free/new.md"));
        Files.delete(repo.resolve("locked/gone.md"));
        write("free/b.md", "changed too\n");
        stageAll();

        int code = terminal.run("guard", "check", "--staged");

        assertThat(code).as(terminal.err()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(api.received()).hasSize(1);
        FakeReservationApi.Received request = api.received().get(0);
        assertThat(request.rawPath()).isEqualTo("/api/repositories/acme%2Fdocs/reservations/check");
        assertThat(request.holder()).isEqualTo("alice@example.com");
        assertThat(request.paths()).containsExactlyInAnyOrder("locked/a.md", "locked/old.md", "free/new.md",
                "locked/gone.md", "free/b.md");
        assertThat(terminal.err())
                .contains("3 paths of this commit are under another holder's exclusive reservation in acme/docs")
                .contains("locked/old.md: reserved by bob (pattern \"locked/**\", reason: refactoring, expires "
                        + FakeReservationApi.EXPIRES + ")")
                .contains("commit blocked")
                .contains("DREP_GUARD_BYPASS=1");
    }

    /** The examples of git's covering, answered by the scanner's matcher behind the fake API. */
    @ParameterizedTest(name = "{0} covers {1}")
    @CsvSource({
            "src/api, src/api/handler.py",
            "src/*,   src/a/b.py",
            "build,   build/x.o",
    })
    void aCommitBelowAReservedPathIsBlockedAsGitWouldCoverIt(String reserved, String below) throws Exception {
        api.reservePattern(reserved, "bob");
        write(below, "changed\n");
        write("elsewhere.txt", "free\n");
        stageAll();

        int code = terminal.run("guard", "check", "--staged");

        assertThat(code).as(terminal.err()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(terminal.err())
                .contains("1 path of this commit is under another holder's exclusive reservation in acme/docs")
                .contains(below + ": reserved by bob (pattern \"" + reserved + "\"")
                .doesNotContain("elsewhere.txt:")
                .contains("commit blocked");
    }

    @Test
    void warnModeFromTheVariableOrTheOptionPrintsButLetsTheCommitThrough() throws Exception {
        write("locked/a.md", "changed\n");
        stageAll();
        assertThat(terminal.run("guard", "check", "--staged", "--warn")).isEqualTo(ExitCodes.OK);
        assertThat(terminal.err()).contains("warning: 1 path of this commit is under").contains("warn mode");
        terminal.clear();
        terminal.with("DREP_GUARD_MODE", "warn");
        assertThat(terminal.run("guard", "check", "--staged")).isEqualTo(ExitCodes.OK);
        assertThat(terminal.err()).contains("reserved by bob");
    }

    @Test
    void theBypassVariableSkipsTheCheck() throws Exception {
        write("locked/a.md", "changed\n");
        stageAll();
        terminal.with("DREP_GUARD_BYPASS", "1");
        assertThat(terminal.run("guard", "check", "--staged")).isEqualTo(ExitCodes.OK);
        assertThat(terminal.err()).contains("DREP_GUARD_BYPASS is set");
        assertThat(api.received()).isEmpty();
    }

    @Test
    void anUnreachableApiWarnsAndLetsThroughUnlessConfiguredToBlock() throws Exception {
        write("locked/a.md", "changed\n");
        stageAll();
        terminal.with("DREP_URL", "http://127.0.0.1:" + closedPort());
        assertThat(terminal.run("guard", "check", "--staged")).isEqualTo(ExitCodes.OK);
        assertThat(terminal.err()).contains("warning: could not reach drep at http://127.0.0.1:")
                .contains("letting the commit through");
        terminal.clear();
        terminal.with("DREP_GUARD_ON_UNREACHABLE", "block");
        assertThat(terminal.run("guard", "check", "--staged")).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains("commit refused because DREP_GUARD_ON_UNREACHABLE=block");
    }

    @Test
    void anErrorAnswerCountsAsUnreachable() throws Exception {
        write("locked/a.md", "changed\n");
        stageAll();
        api.failWith(500);
        assertThat(terminal.run("guard", "check", "--staged")).isEqualTo(ExitCodes.OK);
        assertThat(terminal.err()).contains("answered HTTP 500: the fake was told to fail");
    }

    @Test
    void holderAndRepositoryCanBeNamedByVariablesAndOwnReservationsNeverBlock() throws Exception {
        write("locked/a.md", "changed\n");
        stageAll();
        terminal.with("DREP_HOLDER", "bob").with("DREP_REPOSITORY", "other/repo name");
        assertThat(terminal.run("guard", "check", "--staged")).isEqualTo(ExitCodes.OK);
        assertThat(api.received().get(0).holder()).isEqualTo("bob");
        assertThat(api.received().get(0).rawPath()).isEqualTo("/api/repositories/other%2Frepo%20name/reservations/check");
    }

    @Test
    void nothingStagedAsksNothing() {
        assertThat(terminal.run("guard", "check", "--staged")).isEqualTo(ExitCodes.OK);
        assertThat(api.received()).isEmpty();
    }

    @Test
    void outsideAGitRepositoryTheCheckCannotBeMade() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Terminal outside = new Terminal(plain, dir.resolve("data"), dir.resolve("no-home")).with("DREP_URL", api.url());
        assertThat(outside.run("guard", "check", "--staged")).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(outside.err()).contains("is not inside a git repository");
        assertThat(outside.run("guard", "check")).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(outside.err()).contains("--staged").contains("--push");
    }

    @Test
    void pushChecksThePathsOfTheCommitsTheRemoteDoesNotHave() throws Exception {
        String base = head();
        pretendPushed("main", base);
        write("free/b.md", "one\n");
        commit("first");
        write("locked/a.md", "two\n");
        commit("second");
        String local = head();

        int code = push("refs/heads/main " + local + " refs/heads/main " + base + "\n");

        assertThat(code).isEqualTo(ExitCodes.FINDINGS);
        assertThat(api.allPathsReceived()).containsExactlyInAnyOrder("free/b.md", "locked/a.md");
        assertThat(err.toString()).contains("locked/a.md: reserved by bob").contains("push blocked");
    }

    @Test
    void aNewBranchIsCheckedAgainstEverythingTheRemoteAlreadyHas() throws Exception {
        pretendPushed("main", head());
        git.checkout().setCreateBranch(true).setName("feature").call();
        write("free/c.md", "c\n");
        commit("feature work");

        int code = push("refs/heads/feature " + head() + " refs/heads/feature " + ObjectId.zeroId().name() + "\n"
                // deleting a remote branch pushes no commit
                + "(delete) " + ObjectId.zeroId().name() + " refs/heads/old " + head() + "\n");

        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(api.allPathsReceived()).containsExactly("free/c.md");
    }

    @Test
    void aMergeCommitContributesOnlyWhatTheMergeItselfChanged() throws Exception {
        String base = head();
        pretendPushed("main", base);
        git.checkout().setCreateBranch(true).setName("side").call();
        write("free/side.md", "side\n");
        commit("side");
        git.checkout().setName("main").call();
        write("free/main.md", "main\n");
        commit("main");
        MergeResult merge = git.merge().include(git.getRepository().resolve("side")).setCommit(true)
                .setMessage("merge").call();
        assertThat(merge.getMergeStatus().isSuccessful()).isTrue();
        // the remote already has the side branch: only main's commit and the merge go out
        pretendPushed("side", git.getRepository().resolve("side").name());

        push("refs/heads/main " + head() + " refs/heads/main " + base + "\n");

        assertThat(api.allPathsReceived()).containsExactly("free/main.md");
    }

    // ---- helpers

    private final StringWriter err = new StringWriter();

    private int push(String stdin) {
        Map<String, String> variables = new HashMap<>(terminal.environment().variables());
        LauncherEnvironment env = terminal.environment().withVariables(variables)
                .withOutput(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return GuardCommand.create(env, () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
                .execute("check", "--push", "origin", "git@github.com:acme/docs.git");
    }

    /** Records {@code sha} as the remote-tracking branch origin/{@code branch}, as a fetch or push would. */
    private void pretendPushed(String branch, String sha) throws IOException {
        RefUpdate update = git.getRepository().updateRef("refs/remotes/origin/" + branch);
        update.setNewObjectId(ObjectId.fromString(sha));
        update.setForceUpdate(true);
        update.update();
    }

    private String head() throws IOException {
        return git.getRepository().resolve("HEAD").name();
    }

    private void write(String path, String content) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void stageAll() throws Exception {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
    }

    private void commit(String message) throws Exception {
        stageAll();
        git.commit().setMessage(message).setAuthor(ME).setCommitter(ME).call();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
