package dev.drep.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drep.embedded.FreePorts;
import dev.drep.launcher.testing.FakeService;
import dev.drep.launcher.testing.FakeServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {
    @TempDir
    Path dir;
    private final List<ServiceProcess> started = new ArrayList<>();
    private final Readiness readiness = new Readiness(new HealthProbe(Duration.ofSeconds(1)));

    @AfterEach
    void stopAll() {
        started.forEach(p -> p.stop(Duration.ofSeconds(2)));
    }

    private ServiceProcess start(String name, int managementPort, Map<String, String> added, Set<String> removed,
            String... command) throws Exception {
        ServiceProcess process = ServiceProcess.start(new ServiceSpec(name, List.of(command), dir, added, removed,
                dir.resolve("logs/" + name + ".log"), ServiceSpec.quarkusReadiness(managementPort)));
        started.add(process);
        return process;
    }

    private ServiceProcess shell(String name, String script) throws Exception {
        return start(name, FreePorts.find(), Map.of(), Set.of(), "/bin/sh", "-c", script);
    }

    // readiness is asked on the management port, as of a Quarkus service; the API listens on another one
    private ServiceProcess fake(String name, int managementPort, String mode) throws Exception {
        int apiPort = FreePorts.find();
        while (apiPort == managementPort) {
            apiPort = FreePorts.find();
        }
        return start(name, managementPort, Map.of(), Set.of(), StackConfig.currentJava().toString(), "-Dfake.mode=" + mode,
                "-Dquarkus.http.port=" + apiPort, "-Dquarkus.management.port=" + managementPort,
                "-cp", FakeServices.testClasses().toString(), FakeService.class.getName());
    }

    @Test
    void aServiceThatExitsFailsTheStartWithTheEndOfItsLog() throws Exception {
        ServiceProcess process = shell("scanner-service",
                "i=1; while [ $i -le 100 ]; do echo \"line $i\"; i=$((i+1)); done; echo 'boom: no database' >&2; exit 3");

        assertThatThrownBy(() -> readiness.awaitAll(List.of(process), Duration.ofSeconds(30), s -> { }))
                .isInstanceOfSatisfying(ServiceStartException.class, e -> {
                    assertThat(e.getMessage()).startsWith("scanner-service stopped with code 3 before it was ready")
                            .contains(dir.resolve("logs/scanner-service.log").toString());
                    assertThat(e.services()).containsExactly("scanner-service");
                    assertThat(e.details()).contains("line 100", "boom: no database")
                            .doesNotContain("line 61")
                            .filteredOn(line -> line.startsWith("line ")).hasSize(LogTail.DEFAULT_LINES - 1);
                });
    }

    @Test
    void aServiceThatNeverAnswersReadyTimesOutAndIsStoppedWithItsChildren() throws Exception {
        ServiceProcess process = shell("llm-gateway", "echo waiting for a model; sleep 60");
        long started = System.nanoTime();

        assertThatThrownBy(() -> readiness.awaitAll(List.of(process), Duration.ofSeconds(1), s -> { }))
                .isInstanceOfSatisfying(ServiceStartException.class, e -> {
                    assertThat(e.getMessage()).startsWith("llm-gateway was not ready after 1 s").contains("--start-timeout");
                    assertThat(e.details()).contains("waiting for a model");
                });
        assertThat(System.nanoTime() - started).isLessThan(10_000_000_000L);

        List<ProcessHandle> children = ProcessHandle.of(process.pid()).orElseThrow().descendants().toList();
        process.stop(Duration.ofSeconds(2));
        assertThat(process.isAlive()).isFalse();
        assertThat(children).isNotEmpty().noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aServiceAnswering503IsNotReady() throws Exception {
        int port = FreePorts.find();
        ServiceProcess process = fake("review-publisher", port, "never-ready");

        assertThatThrownBy(() -> readiness.awaitAll(List.of(process), Duration.ofSeconds(3), s -> { }))
                .isInstanceOf(ServiceStartException.class).hasMessageContaining("review-publisher was not ready");
        assertThat(process.isAlive()).isTrue();
    }

    @Test
    void readyServicesAreReportedAndStopGracefully() throws Exception {
        ServiceProcess first = fake("analyzer-service", FreePorts.find(), "ready");
        ServiceProcess second = fake("scanner-service", FreePorts.find(), "scanner");
        List<String> ready = new ArrayList<>();

        readiness.awaitAll(List.of(first, second), Duration.ofSeconds(30), s -> ready.add(s.name()));

        assertThat(ready).containsExactlyInAnyOrder("analyzer-service", "scanner-service");
        first.stop(Duration.ofSeconds(5));
        assertThat(first.isAlive()).isFalse();
        assertThat(first.exitCode()).isPresent();
        assertThat(second.isAlive()).isTrue();
        assertThat(Files.readString(first.spec().logFile())).startsWith("=== drep: starting analyzer-service at ")
                .contains("listening on");
    }

    @Test
    void theEnvironmentLosesRemovedPrefixesAndGainsAddedVariables() throws Exception {
        ServiceProcess process = start("env", FreePorts.find(), Map.of("DREP_TEST_ADDED", "yes"), Set.of("HOME", "DREP_TEST"),
                "/usr/bin/env");
        assertThat(process.waitForExit(Duration.ofSeconds(10))).isTrue();

        List<String> environment = process.logTail(500);
        assertThat(environment).contains("DREP_TEST_ADDED=yes").noneMatch(line -> line.startsWith("HOME="));
        assertThat(System.getenv("HOME")).as("the test needs HOME in its own environment").isNotNull();
    }
}
