package dev.drep.launcher;

import dev.drep.launcher.eval.EvalCommand;
import dev.drep.launcher.guard.GuardCommand;
import dev.drep.launcher.token.TokenCommand;
import dev.drep.launcher.review.ReviewCommand;
import dev.drep.launcher.stack.DownCommand;
import dev.drep.launcher.stack.StackDaemonCommand;
import dev.drep.launcher.stack.StatusCommand;
import dev.drep.launcher.stack.UpCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code drep} command line: {@code review}, {@code eval}, {@code up}, {@code down}, {@code status}, {@code guard}.
 *
 * <p>Tests run it in-process with {@link #execute(LauncherEnvironment, String...)}, which returns the
 * exit code instead of ending the JVM and writes only to the environment's writers.
 */
@Command(name = "drep", mixinStandardHelpOptions = true, versionProvider = DrepCommand.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"drep reviews code and documentation.",
                "Run 'drep review .' in a git repository to review its latest changes on this machine."})
public final class DrepCommand implements Callable<Integer> {
    /** Set (to anything) to print stack traces of unexpected errors. */
    public static final String DEBUG_VARIABLE = "DREP_DEBUG";

    private final LauncherEnvironment env;

    @Spec
    CommandSpec spec;

    private DrepCommand(LauncherEnvironment env) {
        this.env = env;
    }

    /** Runs drep in this JVM's environment and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(execute(LauncherEnvironment.system(), args));
    }

    /**
     * Runs one drep command.
     *
     * @param env  where to write, which variables, working directory and home to use
     * @param args the command line, e.g. {@code review . --fail-on warning}
     * @return the exit code: {@link ExitCodes#OK}, {@link ExitCodes#FINDINGS} or {@link ExitCodes#NOT_DONE}
     */
    public static int execute(LauncherEnvironment env, String... args) {
        try {
            return commandLine(env).execute(args);
        } finally {
            env.out().flush();
            env.err().flush();
        }
    }

    /** @return the configured command line, for {@link #execute} and for tests that only parse */
    static CommandLine commandLine(LauncherEnvironment env) {
        CommandLine commandLine = new CommandLine(new DrepCommand(env))
                .addSubcommand(new ReviewCommand(env))
                .addSubcommand(new EvalCommand(env))
                .addSubcommand(new UpCommand(env))
                .addSubcommand(new DownCommand(env))
                .addSubcommand(new StatusCommand(env))
                .addSubcommand(new StackDaemonCommand(env))
                .addSubcommand(GuardCommand.create(env))
                .addSubcommand(TokenCommand.create(env));
        // after the subcommands are added, so that these settings reach them too
        return commandLine.setOut(env.out())
                .setErr(env.err())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((e, arguments) -> {
                    env.err().println("drep: " + e.getMessage());
                    env.err().println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName()
                            + " --help' to see the options.");
                    return ExitCodes.NOT_DONE;
                })
                .setExecutionExceptionHandler((e, cmd, parseResult) -> {
                    report(env, e);
                    return ExitCodes.NOT_DONE;
                });
    }

    /** Without a command: show what there is, and fail, since nothing was done. */
    @Override
    public Integer call() {
        spec.commandLine().usage(env.err());
        return ExitCodes.NOT_DONE;
    }

    private static void report(LauncherEnvironment env, Exception e) {
        PrintWriter err = env.err();
        if (e instanceof LauncherException problem) {
            err.println("drep: " + problem.getMessage());
            problem.details().forEach(err::println);
            if (env.variable(DEBUG_VARIABLE) != null && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
        } else {
            err.println("drep: unexpected error: " + e);
            if (env.variable(DEBUG_VARIABLE) != null) {
                e.printStackTrace(err);
            } else {
                err.println("Set " + DEBUG_VARIABLE + "=1 to see where it happened, and report it with the output.");
            }
        }
        err.flush();
    }

    /** The version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = DrepCommand.class.getPackage().getImplementationVersion();
            return new String[] {"drep " + (version == null ? "(development build)" : version)};
        }
    }
}
