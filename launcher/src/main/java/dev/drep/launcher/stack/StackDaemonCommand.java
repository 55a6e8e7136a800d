package dev.drep.launcher.stack;

import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.LauncherException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The hidden command {@code drep up} runs in a detached process: the {@link StackDaemon}. */
@Command(name = StackDaemonCommand.NAME, hidden = true,
        description = "Run a local stack in this process until it is told to stop (started by 'drep up').")
public final class StackDaemonCommand implements Callable<Integer> {
    /** The command's name. */
    public static final String NAME = "stack-daemon";

    private final LauncherEnvironment env;

    @Mixin
    DataOption dataOption;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "120")
    int startTimeoutSeconds;

    @Option(names = "--free-ports")
    boolean freePorts;

    @Option(names = "--listen", defaultValue = ServiceProperties.LOOPBACK)
    String listen;

    public StackDaemonCommand(LauncherEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws LauncherException, IOException, InterruptedException {
        DataFolder data = dataOption.resolve(env);
        StackConfig config = new StackConfig(DrepHome.resolve(env), data.root(), data.logs(), data.postgres(),
                data.broker(), !freePorts, Duration.ofSeconds(startTimeoutSeconds), env.variables(), StackConfig.currentJava(),
                ServiceProperties.JVM_OPTIONS, listen);
        return new StackDaemon(data, config, env.out()).run();
    }
}
