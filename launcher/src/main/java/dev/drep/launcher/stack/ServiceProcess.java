package dev.drep.launcher.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running service: a child process whose output goes to its log file. Stopping it asks politely
 * first (SIGTERM lets Quarkus shut down gracefully), then forcibly.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(15);

    private final ServiceSpec spec;
    private final Process process;
    private final Instant startedAt;

    private ServiceProcess(ServiceSpec spec, Process process) {
        this.spec = spec;
        this.process = process;
        this.startedAt = process.info().startInstant().orElseGet(Instant::now);
    }

    /** Starts the process described by {@code spec}; returns at once, before the service is ready. */
    public static ServiceProcess start(ServiceSpec spec) throws IOException {
        Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
        // a marker line, so that a log holding several runs shows where this one begins
        Files.writeString(spec.logFile(), "=== drep: starting " + spec.name() + " at " + Instant.now() + " ===\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(spec.command())
                .directory(spec.workingDirectory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
        builder.environment().keySet()
                .removeIf(name -> spec.removedEnvironmentPrefixes().stream().anyMatch(name::startsWith));
        builder.environment().putAll(spec.addedEnvironment());
        Process process = builder.start();
        // services never read stdin; closing it gives them end-of-file instead of a pipe nobody writes to
        process.getOutputStream().close();
        return new ServiceProcess(spec, process);
    }

    /** @return the service's name, e.g. {@code scanner-service} */
    public String name() {
        return spec.name();
    }

    /** @return how it was started */
    public ServiceSpec spec() {
        return spec;
    }

    /** @return the operating system's process id */
    public long pid() {
        return process.pid();
    }

    /** @return when the process started (recorded in the state file, so that a reused pid is not mistaken for it) */
    public Instant startedAt() {
        return startedAt;
    }

    /** @return true while the process runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the exit code once the process has ended */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** @return the last {@code lines} lines of its log */
    public List<String> logTail(int lines) {
        return LogTail.read(spec.logFile(), lines);
    }

    /** Waits at most {@code timeout} for the process to end by itself; returns true when it has. */
    public boolean waitForExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the process and whatever it started: SIGTERM, then after {@code grace} SIGKILL. */
    public void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        long deadline = System.nanoTime() + grace.toNanos();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle descendant : descendants) {
                awaitExit(descendant, Math.max(0, deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }

    // descendants are not our children: their exit is only seen by polling, hence the wait
    private static void awaitExit(ProcessHandle handle, long nanos) throws InterruptedException {
        try {
            handle.onExit().get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException ignored) {
                // a process that survives SIGKILL is beyond our reach
            }
        } catch (ExecutionException e) {
            // onExit does not fail
        }
    }

    /** Stops the process with the default grace period. */
    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }

    @Override
    public String toString() {
        return spec.name() + " (pid " + pid() + ")";
    }
}
