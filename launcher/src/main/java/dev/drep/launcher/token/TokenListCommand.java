package dev.drep.launcher.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.LauncherException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code drep token list}: one line per token, newest first; never the tokens themselves. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List API tokens (never the tokens themselves).")
final class TokenListCommand implements Callable<Integer> {
    private final LauncherEnvironment env;

    @Mixin
    TokenCommand.Target target;

    TokenListCommand(LauncherEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws LauncherException, InterruptedException {
        JsonNode tokens = target.api(env).list();
        if (tokens.isEmpty()) {
            env.out().println("No API tokens. Create one with 'drep token create --name NAME --scope SCOPE'.");
        }
        for (JsonNode token : tokens) {
            String state = token.hasNonNull("revokedAt") ? "revoked " + token.path("revokedAt").asText()
                    : token.hasNonNull("expiresAt") ? "expires " + token.path("expiresAt").asText() : "no expiry";
            env.out().println(token.path("id").asText() + "  " + token.path("name").asText() + "  "
                    + scopes(token) + (token.hasNonNull("repository") ? "  " + token.path("repository").asText() : "")
                    + "  " + state);
        }
        return ExitCodes.OK;
    }

    private static String scopes(JsonNode token) {
        StringBuilder text = new StringBuilder();
        token.path("scopes").forEach(s -> text.append(text.length() == 0 ? "" : ",").append(s.asText()));
        return text.toString();
    }
}
