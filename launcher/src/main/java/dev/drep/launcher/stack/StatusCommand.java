package dev.drep.launcher.stack;

import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherEnvironment;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code drep status}: what the background stack of a data folder runs. Exit 0 when all of it is ready. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the stack started with 'drep up'. Exit code 0 when every service is ready, 1 otherwise.")
public final class StatusCommand implements Callable<Integer> {
    private final LauncherEnvironment env;

    @Mixin
    DataOption dataOption;

    public StatusCommand(LauncherEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        DataFolder data = dataOption.resolve(env);
        Optional<StackState> state = StateFile.of(data).read();
        if (state.isEmpty()) {
            env.out().println("No drep stack is running (data folder " + data.root() + "). Start one with 'drep up"
                    + UpCommand.dataArgument(data, env) + "'.");
            return ExitCodes.FINDINGS;
        }
        if (!state.get().daemonAlive()) {
            env.out().println("The drep stack of " + data.root() + " is gone (its process " + state.get().daemonPid()
                    + " no longer runs). Run 'drep down" + UpCommand.dataArgument(data, env) + "' to clean up, then "
                    + "'drep up' to start it again.");
            return ExitCodes.FINDINGS;
        }
        Map<String, Boolean> readiness = RunningStack.readiness(state.get(), new HealthProbe());
        boolean allReady = state.get().status() == StackState.Status.READY
                && readiness.values().stream().allMatch(ready -> ready);
        env.out().println("drep stack " + (state.get().status() == StackState.Status.STARTING ? "starting"
                : allReady ? "running" : "running, not all services ready") + " (data folder " + data.root() + "):");
        StackPrinter.print(env.out(), state.get(), readiness);
        return allReady ? ExitCodes.OK : ExitCodes.FINDINGS;
    }
}
