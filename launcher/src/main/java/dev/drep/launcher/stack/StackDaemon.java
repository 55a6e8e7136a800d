package dev.drep.launcher.stack;

import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The background process behind {@code drep up}: holds PostgreSQL and the broker in its JVM, runs the
 * four services, keeps the state file current, and restarts a service that exits (a few times, then
 * it gives up on that service and says so in the state file). SIGTERM ({@code drep down}) stops
 * everything and removes the state file.
 */
public final class StackDaemon {
    /**
     * A file in the data folder asking the daemon to restart the broker (stop, start on the same port and journal);
     * the daemon deletes it once the broker is back. How drep's end-to-end tests restart the broker mid-job.
     */
    public static final String RESTART_BROKER = "restart-broker";
    /** As {@link #RESTART_BROKER}, for PostgreSQL (same port and data folder). */
    public static final String RESTART_POSTGRES = "restart-postgres";
    /** How often a service is restarted before the daemon gives up on it. */
    static final int MAX_RESTARTS = 3;
    private static final long SUPERVISION_MILLIS = 1000;

    private final DataFolder data;
    private final StackConfig config;
    private final PrintWriter log;
    private final StateFile stateFile;
    private final Map<ServiceKind, Integer> restarts = new EnumMap<>(ServiceKind.class);
    private final Map<ServiceKind, Boolean> gaveUp = new EnumMap<>(ServiceKind.class);
    private volatile boolean stopping;

    public StackDaemon(DataFolder data, StackConfig config, PrintWriter log) {
        this.data = data;
        this.config = config;
        this.log = log;
        this.stateFile = StateFile.of(data);
    }

    /** Runs until the process is told to stop; returns an exit code only when the stack could not start. */
    public int run() throws IOException, InterruptedException {
        Files.createDirectories(data.root());
        try (FileChannel channel = FileChannel.open(data.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            if (lock == null) {
                log.println("Another drep stack runs in " + data.root() + "; stop it with 'drep down' first.");
                log.flush();
                return ExitCodes.NOT_DONE;
            }
            return runLocked();
        }
    }

    private int runLocked() throws IOException, InterruptedException {
        LocalStack stack = new LocalStack(config);
        Thread hook = new Thread(() -> {
            stopping = true;
            log.println(Instant.now() + " stopping the stack");
            log.flush();
            stack.close();
            deleteState();
            log.println(Instant.now() + " stopped");
            log.flush();
        }, "drep-stack-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        AdminTokenFile.write(data, stack.credentials().admin());
        writeState(stack, StackState.Status.STARTING);
        try {
            stack.start(step -> {
                log.println(Instant.now() + " " + step);
                log.flush();
            });
        } catch (LauncherException e) {
            log.println(e.getMessage());
            e.details().forEach(log::println);
            log.flush();
            deleteState();
            removeHook(hook);
            return ExitCodes.NOT_DONE;
        }
        writeState(stack, StackState.Status.READY);
        log.println(Instant.now() + " ready; scanner at " + stack.url(ServiceKind.SCANNER));
        log.flush();
        supervise(stack);
        return ExitCodes.OK;
    }

    // Runs until the shutdown hook sets `stopping`; the JVM halts once the hook has stopped everything.
    private void supervise(LocalStack stack) throws InterruptedException {
        while (!stopping) {
            Thread.sleep(SUPERVISION_MILLIS);
            restartInfrastructureOnRequest(stack);
            boolean changed = false;
            for (var entry : stack.services().entrySet()) {
                ServiceKind kind = entry.getKey();
                ServiceProcess process = entry.getValue();
                if (stopping || process.isAlive() || gaveUp.getOrDefault(kind, false)) {
                    continue;
                }
                int count = restarts.merge(kind, 1, Integer::sum);
                changed = true;
                if (count > MAX_RESTARTS) {
                    gaveUp.put(kind, true);
                    log.println(Instant.now() + " " + process.name() + " exited again (code "
                            + process.exitCode().orElse(-1) + "); not restarting it after " + MAX_RESTARTS
                            + " restarts. See " + process.spec().logFile());
                    continue;
                }
                log.println(Instant.now() + " " + process.name() + " exited (code " + process.exitCode().orElse(-1)
                        + "); restarting it (" + count + "/" + MAX_RESTARTS + ")");
                try {
                    stack.restart(kind);
                } catch (IOException e) {
                    log.println(Instant.now() + " could not restart " + process.name() + ": " + e.getMessage());
                }
            }
            if (changed && !stopping) {
                log.flush();
                try {
                    writeState(stack, StackState.Status.READY);
                } catch (IOException e) {
                    log.println(Instant.now() + " could not update " + stateFile.path() + ": " + e.getMessage());
                }
            }
        }
    }

    /*
     * A restart request is a file the user (or a test) puts in the data folder, which only the user can write: it
     * adds nothing to what the folder's owner can already do (stop the stack, remove its data), and no port.
     */
    private void restartInfrastructureOnRequest(LocalStack stack) {
        for (String request : List.of(RESTART_BROKER, RESTART_POSTGRES)) {
            Path file = data.root().resolve(request);
            if (stopping || !Files.exists(file)) {
                continue;
            }
            String what = request.equals(RESTART_BROKER) ? "the AMQP broker" : "PostgreSQL";
            log.println(Instant.now() + " restarting " + what + " (asked by " + file + ")");
            log.flush();
            long started = System.nanoTime();
            try {
                if (request.equals(RESTART_BROKER)) {
                    stack.restartBroker();
                } else {
                    stack.restartPostgres();
                }
                log.printf("%s %s is back after %d ms%n", Instant.now(), what, (System.nanoTime() - started) / 1_000_000);
            } catch (Exception e) {
                log.println(Instant.now() + " could not restart " + what + ": " + e.getMessage() + "; see "
                        + stack.infraLog());
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.println(Instant.now() + " could not remove " + file + ": " + e.getMessage());
            }
            log.flush();
        }
    }

    private void writeState(LocalStack stack, StackState.Status status) throws IOException {
        List<StackState.Service> services = new ArrayList<>();
        Map<ServiceKind, ServiceProcess> processes = stack.services();
        for (ServiceKind kind : ServiceKind.values()) {
            ServiceProcess p = processes.get(kind);
            services.add(new StackState.Service(kind.module(), stack.url(kind).toString(), p == null ? 0 : p.pid(),
                    p == null ? null : p.startedAt(), data.log(kind.module()).toString(),
                    restarts.getOrDefault(kind, 0), gaveUp.getOrDefault(kind, false),
                    stack.managementUrl(kind).toString()));
        }
        ProcessHandle self = ProcessHandle.current();
        stateFile.write(new StackState(status, self.pid(), self.info().startInstant().orElse(null),
                data.root().toString(), stack.ports().postgres(), stack.jdbcUrl(), stack.ports().broker(), services,
                Instant.now()));
    }

    private void deleteState() {
        AdminTokenFile.delete(data);
        try {
            stateFile.delete();
        } catch (IOException e) {
            log.println("could not remove " + stateFile.path() + ": " + e.getMessage());
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway and finds everything stopped
        }
    }
}
