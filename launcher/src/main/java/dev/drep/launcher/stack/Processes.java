package dev.drep.launcher.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Finds and stops processes recorded by pid, without ever touching an unrelated process that reused the pid. */
final class Processes {
    // start instants are read from /proc with clock-tick precision
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    private Processes() {
    }

    /** @return the process, when it runs and (if {@code startedAt} is known) started at that time */
    static Optional<ProcessHandle> find(long pid, Instant startedAt) {
        if (pid <= 0) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> startedAt == null
                || h.info().startInstant().map(s -> Duration.between(s, startedAt).abs().compareTo(START_TOLERANCE) <= 0)
                        .orElse(true));
    }

    static boolean isRunning(long pid, Instant startedAt) {
        return find(pid, startedAt).isPresent();
    }

    /** Asks the process to stop (SIGTERM), waits up to {@code grace}, then kills it. @return true when it ended */
    static boolean stop(ProcessHandle process, Duration grace) {
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported below by isAlive
            }
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
