package dev.drep.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.testing.FakeServices;
import dev.drep.launcher.testing.Terminal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drep up}, {@code status}, {@code review} on the running stack, and {@code down}: a real
 * background launcher process with real PostgreSQL (persistent, in the data folder) and Artemis, and
 * fake service jars.
 */
class UpDownTest {
    @TempDir
    Path dir;
    Path data;
    Terminal terminal;

    @BeforeEach
    void setUp() throws Exception {
        data = dir.resolve("data");
        Path home = dir.resolve("home");
        FakeServices.install(home, dir.resolve("reports"), FakeServices.working());
        Files.createDirectories(dir.resolve("work/repo"));
        terminal = new Terminal(dir.resolve("work"), data, home).with("DREP_LLM_API_KEY", "sk-never-in-the-state-file");
    }

    @AfterEach
    void down() {
        // whatever a failed assertion left running
        new Terminal(dir.resolve("work"), data, dir.resolve("home")).run("down");
    }

    @Test
    void upRunsTheStackInTheBackgroundUntilDown() throws Exception {
        int up = terminal.run("up", "--free-ports");

        assertThat(up).as(terminal.err() + terminal.out()).isEqualTo(ExitCodes.OK);
        assertThat(terminal.out()).contains("drep stack is up (data folder " + data + ")")
                .contains("scanner-service").contains("http://127.0.0.1:").contains("jdbc:postgresql://127.0.0.1:")
                .contains("Stop with: drep down");
        StackState state = StateFile.of(new DataFolder(data)).read().orElseThrow();
        assertThat(state.status()).isEqualTo(StackState.Status.READY);
        assertThat(state.daemonPid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(state.services()).hasSize(4).allSatisfy(s -> assertThat(Processes.isRunning(s.pid(), s.startedAt())).isTrue());
        assertThat(Files.readString(data.resolve("stack.json"))).doesNotContain("sk-never-in-the-state-file");
        assertThat(data.resolve("postgres/postmaster.pid")).exists();
        assertThat(data.resolve("logs/scanner-service.log")).exists();

        terminal.clear();
        assertThat(terminal.run("status")).isEqualTo(ExitCodes.OK);
        assertThat(terminal.out()).contains("drep stack running").contains("ready").doesNotContain("not ready");

        terminal.clear();
        assertThat(terminal.run("up")).isEqualTo(ExitCodes.OK);
        assertThat(terminal.out()).contains("A drep stack is already running");

        terminal.clear();
        assertThat(terminal.run("review", "repo")).as(terminal.err()).isEqualTo(ExitCodes.OK);
        assertThat(terminal.err()).contains("drep: Using the drep stack of " + data)
                .doesNotContain("Starting a temporary drep stack");
        assertThat(terminal.out()).contains("README.md:3: warning [md.trailing-whitespace] trailing whitespace");

        terminal.clear();
        assertThat(terminal.run("down")).isEqualTo(ExitCodes.OK);
        assertThat(terminal.out()).contains("Stopped the drep stack");
        assertThat(data.resolve("stack.json")).doesNotExist();
        assertThat(Processes.isRunning(state.daemonPid(), state.daemonStartedAt())).isFalse();
        assertThat(state.services()).noneSatisfy(s -> assertThat(Processes.isRunning(s.pid(), s.startedAt())).isTrue());
        assertThat(data.resolve("postgres/postmaster.pid")).doesNotExist();

        terminal.clear();
        assertThat(terminal.run("status")).isEqualTo(ExitCodes.FINDINGS);
    }

    @Test
    void aDaemonKilledHardLeavesNothingBehindAfterDown() throws Exception {
        assertThat(terminal.run("up", "--free-ports")).as(terminal.err()).isEqualTo(ExitCodes.OK);
        StackState state = StateFile.of(new DataFolder(data)).read().orElseThrow();
        ProcessHandle daemon = ProcessHandle.of(state.daemonPid()).orElseThrow();
        daemon.destroyForcibly();
        daemon.onExit().get();

        terminal.clear();
        assertThat(terminal.run("status")).isEqualTo(ExitCodes.FINDINGS);
        assertThat(terminal.out()).contains("is gone");

        terminal.clear();
        assertThat(terminal.run("down")).isEqualTo(ExitCodes.OK);
        assertThat(terminal.err()).contains("left over by a stopped stack");
        assertThat(state.services()).noneSatisfy(s -> assertThat(Processes.isRunning(s.pid(), s.startedAt())).isTrue());
        assertThat(data.resolve("postgres/postmaster.pid")).doesNotExist();
        assertThat(data.resolve("stack.json")).doesNotExist();
    }

    @Test
    void aServiceThatFailsMakesUpFailWithTheDaemonsLog() throws Exception {
        FakeServices.install(dir.resolve("home"), dir.resolve("reports"),
                FakeServices.workingExcept(ServiceKind.REVIEW_PUBLISHER, "exit"));

        int code = terminal.run("up", "--free-ports");

        assertThat(code).isEqualTo(ExitCodes.NOT_DONE);
        assertThat(terminal.err()).contains("drep: The drep stack did not start")
                .contains("review-publisher stopped with code 3 before it was ready")
                .contains("boom: could not connect to the database");
        assertThat(data.resolve("stack.json")).doesNotExist();
    }
}
