package dev.drep.launcher.stack;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Stops what a background stack left running after its own process died without cleaning up. */
final class StackCleanup {
    private static final Duration GRACE = Duration.ofSeconds(15);

    private StackCleanup() {
    }

    /** Stops the recorded services and the PostgreSQL server of the data folder, if they still run. */
    static void stopLeftovers(StackState state, DataFolder data, PrintWriter err) {
        Processes.find(state.daemonPid(), state.daemonStartedAt()).ifPresent(daemon -> {
            err.println("Stopping the stack process (pid " + daemon.pid() + ")");
            Processes.stop(daemon, GRACE);
        });
        for (StackState.Service service : state.services()) {
            Processes.find(service.pid(), service.startedAt()).ifPresent(process -> {
                err.println("Stopping " + service.name() + " (pid " + process.pid() + "), left over by a stopped stack");
                Processes.stop(process, GRACE);
            });
        }
        postmaster(data.postgres()).ifPresent(process -> {
            err.println("Stopping PostgreSQL (pid " + process.pid() + "), left over by a stopped stack");
            Processes.stop(process, GRACE);
        });
        err.flush();
    }

    // PostgreSQL writes its pid on the first line of postmaster.pid in its data folder
    private static Optional<ProcessHandle> postmaster(Path dataFolder) {
        Path pidFile = dataFolder.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
