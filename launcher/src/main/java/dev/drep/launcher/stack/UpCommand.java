package dev.drep.launcher.stack;

import dev.drep.launcher.DrepCommand;
import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.LauncherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code drep up}: starts a local stack in the background and returns once it is ready. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start PostgreSQL, the AMQP broker and the four drep services in the background and keep them "
                + "running; 'drep review' then uses them. Stop with 'drep down'.")
public final class UpCommand implements Callable<Integer> {
    /** JVM options of the background launcher: it holds the broker, which needs little. */
    public static final List<String> DAEMON_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx384m");
    // time for PostgreSQL's first initdb and the broker, beyond the services' own start timeout
    private static final Duration INFRASTRUCTURE_ALLOWANCE = Duration.ofSeconds(60);
    private static final String LOG_MARKER = "=== drep up at ";
    // the daemon's steps, its error and a service's 40-line log tail
    private static final int FAILURE_LINES = 80;

    private final LauncherEnvironment env;

    @Mixin
    DataOption dataOption;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long each service may take to become ready (default: ${DEFAULT-VALUE}).")
    int startTimeoutSeconds;

    @Option(names = "--free-ports",
            description = "Use any free ports instead of the services' usual 8081-8084 (used when free).")
    boolean freePorts;

    @Option(names = "--listen", paramLabel = "ADDRESS", defaultValue = ServiceProperties.LOOPBACK,
            description = "The address the services listen on (default: ${DEFAULT-VALUE}, this machine only). Anyone who "
                    + "can reach another address can call the services with a token: give one only on a network you trust.")
    String listen;

    public UpCommand(LauncherEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws LauncherException, IOException, InterruptedException {
        if (startTimeoutSeconds <= 0) {
            throw new LauncherException("--start-timeout takes a number of seconds greater than 0.");
        }
        DataFolder data = dataOption.resolve(env);
        DrepHome home = DrepHome.resolve(env);
        home.requireJars();
        StateFile stateFile = StateFile.of(data);
        Optional<StackState> existing = stateFile.read();
        if (existing.isPresent() && existing.get().daemonAlive()) {
            env.out().println("A drep stack is already running (data folder " + data.root() + "):");
            StackPrinter.print(env.out(), existing.get(), RunningStack.readiness(existing.get(), new HealthProbe()));
            env.out().println("Stop it with: drep down" + dataArgument(data, env));
            return ExitCodes.OK;
        }
        if (existing.isPresent()) {
            // the daemon died without cleaning up (killed, machine crashed): clear what it left
            StackCleanup.stopLeftovers(existing.get(), data, env.err());
            stateFile.delete();
        }
        Files.createDirectories(data.logs());
        Files.writeString(data.daemonLog(), LOG_MARKER + Instant.now() + " ===\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        env.err().println("Starting the drep stack in the background (data folder " + data.root() + ")...");
        env.err().flush();
        Process daemon = spawnDaemon(data, home);
        // Ctrl-C while waiting cancels the start; the daemon is in a session of its own and would carry on
        Thread cancel = new Thread(() -> Processes.stop(daemon.toHandle(), Duration.ofSeconds(30)), "drep-up-cancel");
        Runtime.getRuntime().addShutdownHook(cancel);
        try {
            return awaitReady(data, daemon);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cancel);
            } catch (IllegalStateException e) {
                // shutting down: the hook stops the daemon
            }
        }
    }

    private int awaitReady(DataFolder data, Process daemon) throws LauncherException, InterruptedException {
        StateFile stateFile = StateFile.of(data);
        Duration timeout = Duration.ofSeconds(startTimeoutSeconds).plus(INFRASTRUCTURE_ALLOWANCE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<StackState> state = stateFile.read();
            if (state.isPresent() && state.get().status() == StackState.Status.READY && state.get().daemonAlive()) {
                env.out().println("drep stack is up (data folder " + data.root() + "):");
                StackPrinter.print(env.out(), state.get(), null);
                env.out().println("Review with: drep review PATH" + dataArgument(data, env) + "    Stop with: drep down"
                        + dataArgument(data, env));
                return ExitCodes.OK;
            }
            if (!daemon.isAlive()) {
                throw new LauncherException("The drep stack did not start (exit code " + daemon.exitValue()
                        + "). Its output (" + data.daemonLog() + ") follows; each service's log is in " + data.logs() + ".",
                        LogTail.readSince(data.daemonLog(), LOG_MARKER, FAILURE_LINES), null);
            }
            if (System.nanoTime() - deadline >= 0) {
                // SIGTERM: the daemon's shutdown hook stops whatever it started
                Processes.stop(daemon.toHandle(), Duration.ofSeconds(30));
                throw new LauncherException("The drep stack was not ready after " + timeout.toSeconds() + " s and was "
                        + "stopped. The end of " + data.daemonLog() + " follows; each service's log is in " + data.logs()
                        + ". On a slow machine, try 'drep up --start-timeout 300'.",
                        LogTail.readSince(data.daemonLog(), LOG_MARKER, FAILURE_LINES), null);
            }
            Thread.sleep(250);
        }
    }

    private Process spawnDaemon(DataFolder data, DrepHome home) throws IOException {
        List<String> command = new ArrayList<>();
        Path setsid = setsid();
        if (setsid != null) {
            // a session of its own: closing the terminal or Ctrl-C in it does not reach the stack
            command.add(setsid.toString());
        }
        command.add(StackConfig.currentJava().toString());
        command.addAll(DAEMON_JVM_OPTIONS);
        command.add("-D" + LauncherEnvironment.HOME_PROPERTY + "=" + home.root());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DrepCommand.class.getName());
        command.add(StackDaemonCommand.NAME);
        command.add("--data");
        command.add(data.root().toString());
        command.add("--start-timeout");
        command.add(Integer.toString(startTimeoutSeconds));
        if (freePorts) {
            command.add("--free-ports");
        }
        command.add("--listen");
        command.add(listen);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(data.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.daemonLog().toFile()));
        // the daemon hands the provider settings to the gateway, the observability switches to every service and
        // the API token cache time to the gateway and the publisher: give it exactly the user's
        builder.environment().keySet().removeIf(name -> name.startsWith(ServiceProperties.LLM_VARIABLE_PREFIX)
                || ServiceProperties.OBSERVABILITY_VARIABLES.contains(name)
                || name.equals(ServiceProperties.INTROSPECTION_CACHE_TIME_VARIABLE));
        env.variables().forEach((name, value) -> {
            if (name.startsWith(ServiceProperties.LLM_VARIABLE_PREFIX)
                    || ServiceProperties.OBSERVABILITY_VARIABLES.contains(name)
                    || name.equals(ServiceProperties.INTROSPECTION_CACHE_TIME_VARIABLE)) {
                builder.environment().put(name, value);
            }
        });
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private static Path setsid() {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** @return {@code --data DIR} when the folder is not the one the commands find by themselves, else empty */
    static String dataArgument(DataFolder data, LauncherEnvironment env) {
        return data.equals(DataFolder.resolve(null, env)) ? "" : " --data " + data.root();
    }
}
