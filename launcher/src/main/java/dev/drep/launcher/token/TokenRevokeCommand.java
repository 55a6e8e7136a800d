package dev.drep.launcher.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.LauncherException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code drep token revoke ID}: the token is refused from the next request on. */
@Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API token by its id ('drep token list').")
final class TokenRevokeCommand implements Callable<Integer> {
    private final LauncherEnvironment env;

    @Mixin
    TokenCommand.Target target;

    @Parameters(paramLabel = "ID", description = "The token's id.")
    String id;

    TokenRevokeCommand(LauncherEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws LauncherException, InterruptedException {
        JsonNode revoked = target.api(env).revoke(id);
        env.out().println("Revoked token '" + revoked.path("name").asText() + "' (id " + revoked.path("id").asText() + ") at "
                + revoked.path("revokedAt").asText());
        return ExitCodes.OK;
    }
}
