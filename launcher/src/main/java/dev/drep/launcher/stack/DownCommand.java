package dev.drep.launcher.stack;

import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.LauncherException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code drep down}: stops the background stack of a data folder. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the stack started with 'drep up': the services, then PostgreSQL and the broker.")
public final class DownCommand implements Callable<Integer> {
    // the daemon stops four services (15 s grace each, in parallel), the broker and PostgreSQL
    private static final Duration DAEMON_GRACE = Duration.ofSeconds(60);

    private final LauncherEnvironment env;

    @Mixin
    DataOption dataOption;

    public DownCommand(LauncherEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws LauncherException, IOException {
        DataFolder data = dataOption.resolve(env);
        StateFile stateFile = StateFile.of(data);
        Optional<StackState> state = stateFile.read();
        if (state.isEmpty()) {
            env.out().println("No drep stack is running (data folder " + data.root() + ").");
            return ExitCodes.OK;
        }
        Optional<ProcessHandle> daemon = Processes.find(state.get().daemonPid(), state.get().daemonStartedAt());
        if (daemon.isPresent()) {
            env.err().println("Stopping the drep stack (data folder " + data.root() + ")...");
            env.err().flush();
            if (!Processes.stop(daemon.get(), DAEMON_GRACE)) {
                throw new LauncherException("The stack process (pid " + daemon.get().pid() + ") did not stop. Stop it "
                        + "with 'kill -9 " + daemon.get().pid() + "', then run 'drep down' again.");
            }
        }
        // after a clean stop nothing is left; after a killed daemon, its services and PostgreSQL may be
        StackCleanup.stopLeftovers(state.get(), data, env.err());
        stateFile.delete();
        env.out().println("Stopped the drep stack (data folder " + data.root() + ").");
        return ExitCodes.OK;
    }
}
