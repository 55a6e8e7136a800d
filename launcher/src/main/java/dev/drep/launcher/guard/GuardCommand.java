package dev.drep.launcher.guard;

import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherEnvironment;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code drep guard}: git hooks that stop a commit or push touching paths under another holder's exclusive
 * file reservation. {@code drep guard install} writes the hooks, {@code drep guard check} is what they run.
 */
@Command(name = "guard", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Git hooks that check file reservations before a commit or a push.",
                "Run 'drep guard install' in a repository; the hooks then run 'drep guard check'."})
public final class GuardCommand implements Callable<Integer> {
    private final LauncherEnvironment env;

    @Spec
    CommandSpec spec;

    private GuardCommand(LauncherEnvironment env) {
        this.env = env;
    }

    /** @return {@code guard} with its subcommands, reading hook input from this process's stdin */
    public static CommandLine create(LauncherEnvironment env) {
        return create(env, () -> System.in);
    }

    /** @return {@code guard} with its subcommands; {@code stdin} gives what a pre-push hook receives */
    static CommandLine create(LauncherEnvironment env, Supplier<InputStream> stdin) {
        return new CommandLine(new GuardCommand(env))
                .addSubcommand(new GuardInstallCommand(env))
                .addSubcommand(new GuardCheckCommand(env, stdin));
    }

    /** Without a subcommand: show what there is, and fail, since nothing was done. */
    @Override
    public Integer call() {
        spec.commandLine().usage(env.err());
        return ExitCodes.NOT_DONE;
    }
}
