package dev.drep.launcher.token;

import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.LauncherException;
import dev.drep.launcher.stack.AdminTokenFile;
import dev.drep.launcher.stack.DataFolder;
import dev.drep.launcher.stack.DataOption;
import dev.drep.launcher.stack.HealthProbe;
import dev.drep.launcher.stack.RunningStack;
import dev.drep.launcher.stack.ServiceKind;
import dev.drep.launcher.stack.StackState;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drep token create|list|revoke}: API tokens of a drep installation (the scanner's {@code /api/tokens}). Talks to
 * the {@code drep up} stack of the data folder with its admin token, or to {@code --url} / {@code DREP_URL} with the
 * token in {@code DREP_TOKEN} (which needs scope {@code admin}).
 */
@Command(name = "token", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Create, list and revoke API tokens.",
                "A token is shown once, when it is created; drep keeps only its SHA-256."})
public final class TokenCommand implements Callable<Integer> {
    /** The base URL of the scanner to manage, when not the local stack's. */
    public static final String URL_VARIABLE = "DREP_URL";
    /** The token to call it with, when not the local stack's admin token. */
    public static final String TOKEN_VARIABLE = "DREP_TOKEN";

    private final LauncherEnvironment env;

    @Spec
    CommandSpec spec;

    private TokenCommand(LauncherEnvironment env) {
        this.env = env;
    }

    /** @return {@code token} with its subcommands */
    public static CommandLine create(LauncherEnvironment env) {
        return new CommandLine(new TokenCommand(env))
                .addSubcommand(new TokenCreateCommand(env))
                .addSubcommand(new TokenListCommand(env))
                .addSubcommand(new TokenRevokeCommand(env));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(env.err());
        return ExitCodes.NOT_DONE;
    }

    /** Where and as whom the subcommands call: options and variables shared by them. */
    static final class Target {
        @Mixin
        DataOption dataOption;

        @Option(names = "--url", paramLabel = "URL",
                description = "The scanner's base URL (default: $DREP_URL, else the 'drep up' stack of the data folder).")
        String url;

        TokenApi api(LauncherEnvironment env) throws LauncherException {
            DataFolder data = dataOption.resolve(env);
            String base = url != null ? url : env.variable(URL_VARIABLE);
            String token = env.variable(TOKEN_VARIABLE);
            if (base == null) {
                Optional<StackState> running = RunningStack.findHealthy(data, new HealthProbe());
                if (running.isEmpty()) {
                    throw new LauncherException("No drep stack runs with the data folder " + data.root()
                            + ": start one with 'drep up', or name a scanner with --url and its admin token in " + TOKEN_VARIABLE + ".");
                }
                base = running.get().service(ServiceKind.SCANNER).orElseThrow().url();
                if (token == null || token.isBlank()) {
                    token = AdminTokenFile.read(data);
                }
            }
            if (token == null || token.isBlank()) {
                throw new LauncherException("Set " + TOKEN_VARIABLE + " to a token with scope 'admin' to manage the tokens of "
                        + base + ".");
            }
            return new TokenApi(URI.create(base.replaceAll("/+$", "")), token.strip());
        }
    }
}
