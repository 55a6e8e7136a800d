package dev.drep.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.launcher.LauncherEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackFilesTest {
    @TempDir
    Path dir;

    private LauncherEnvironment env(Map<String, String> variables) {
        return new LauncherEnvironment(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                variables, dir, false, null);
    }

    @Test
    void theDataFolderComesFromTheOptionThenDrepDataThenHome() {
        Map<String, String> both = Map.of("DREP_DATA", "from-env", "HOME", "/home/someone");

        assertThat(DataFolder.resolve(Path.of("opt"), env(both)).root()).isEqualTo(dir.resolve("opt"));
        assertThat(DataFolder.resolve(null, env(both)).root()).isEqualTo(dir.resolve("from-env"));
        assertThat(DataFolder.resolve(null, env(Map.of("HOME", "/home/someone"))).root())
                .isEqualTo(Path.of("/home/someone/.drep"));
        DataFolder data = DataFolder.resolve(null, env(Map.of("DREP_DATA", "/srv/drep")));
        assertThat(data.log("scanner-service")).isEqualTo(Path.of("/srv/drep/logs/scanner-service.log"));
        assertThat(data.postgres()).isEqualTo(Path.of("/srv/drep/postgres"));
        assertThat(data.broker()).isEqualTo(Path.of("/srv/drep/broker"));
    }

    @Test
    void theHomeComesFromTheEnvironmentThenDrepHome() throws Exception {
        assertThat(DrepHome.resolve(env(Map.of("DREP_HOME", "/opt/drep")).withHome(dir.resolve("explicit"))).root())
                .isEqualTo(dir.resolve("explicit"));
        assertThat(DrepHome.resolve(env(Map.of("DREP_HOME", "/opt/drep"))).root()).isEqualTo(Path.of("/opt/drep"));
        assertThat(new DrepHome(Path.of("/opt/drep")).jar(ServiceKind.LLM_GATEWAY))
                .isEqualTo(Path.of("/opt/drep/llm-gateway/target/quarkus-app/quarkus-run.jar"));
    }

    @Test
    void theStateFileRoundTripsAndAGarbledOneReadsAsAbsent() throws Exception {
        StateFile file = new StateFile(dir.resolve("stack.json"));
        StackState state = new StackState(StackState.Status.READY, 42, Instant.parse("2026-01-01T10:00:00Z"),
                dir.toString(), 5432, "jdbc:postgresql://127.0.0.1:5432/drep", 5672,
                List.of(new StackState.Service("scanner-service", "http://127.0.0.1:8081", 43,
                        Instant.parse("2026-01-01T10:00:01Z"), "/x/scanner-service.log", 1, false, "http://127.0.0.1:39001")),
                Instant.parse("2026-01-01T10:00:05Z"));

        file.write(state);

        assertThat(file.read()).contains(state);
        assertThat(state.service(ServiceKind.SCANNER).orElseThrow().readinessUri())
                .hasToString("http://127.0.0.1:39001/q/health/ready");
        assertThat(state.service(ServiceKind.SCANNER).orElseThrow().metricsUri())
                .hasToString("http://127.0.0.1:39001/q/metrics");
        Files.writeString(file.path(), "{\"status\":");
        assertThat(file.read()).isEmpty();
        file.delete();
        assertThat(file.path()).doesNotExist();
    }

    @Test
    void aStateWhoseProcessIsGoneIsNotAlive() {
        StackState gone = new StackState(StackState.Status.READY, Long.MAX_VALUE - 1, null, dir.toString(), 1, null, 2,
                List.of(), Instant.now());
        StackState reusedPid = new StackState(StackState.Status.READY, ProcessHandle.current().pid(),
                Instant.parse("2001-01-01T00:00:00Z"), dir.toString(), 1, null, 2, List.of(), Instant.now());
        StackState self = new StackState(StackState.Status.READY, ProcessHandle.current().pid(),
                ProcessHandle.current().info().startInstant().orElseThrow(), dir.toString(), 1, null, 2, List.of(), Instant.now());

        assertThat(gone.daemonAlive()).isFalse();
        assertThat(reusedPid.daemonAlive()).isFalse();
        assertThat(self.daemonAlive()).isTrue();
    }

    @Test
    void theLogTailIsTheLastLines() throws Exception {
        Path log = dir.resolve("service.log");
        Files.writeString(log, IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"))
                + "\n\n");

        assertThat(LogTail.read(log, 3)).containsExactly("line 98", "line 99", "line 100");
        assertThat(LogTail.read(dir.resolve("missing.log"), 3)).isEmpty();
    }
}
