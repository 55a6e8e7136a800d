package dev.drep.launcher.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.launcher.ExitCodes;
import dev.drep.launcher.LauncherEnvironment;
import dev.drep.launcher.LauncherException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code drep token create}: prints the new token alone on standard output (for scripts), what it grants on standard error. */
@Command(name = "create", mixinStandardHelpOptions = true, description = {"Create an API token and print it (once).",
        "Scopes: reviews:write, jobs:read, repositories:admin, reservations:write, reservations:admin, usage:read, "
                + "llm:use, admin."})
final class TokenCreateCommand implements Callable<Integer> {
    private final LauncherEnvironment env;

    @Mixin
    TokenCommand.Target target;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the token is for, e.g. ci-reviews.")
    String name;

    @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE",
            description = "A scope the token has; repeat or separate with commas.")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--repository", paramLabel = "OWNER/NAME", description = "Restrict the token to one repository.")
    String repository;

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "Lifetime, e.g. 90d or PT12H (default: none).")
    String expiresIn;

    TokenCreateCommand(LauncherEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws LauncherException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", scopes);
        if (repository != null) {
            body.put("repository", repository);
        }
        if (expiresIn != null) {
            body.put("expiresIn", expiresIn);
        }
        JsonNode created = target.api(env).create(body);
        env.out().println(created.path("token").asText());
        JsonNode details = created.path("details");
        env.err().println("Created token '" + details.path("name").asText() + "' (id " + details.path("id").asText()
                + ") with scopes " + details.path("scopes") + (details.hasNonNull("repository")
                ? " for " + details.path("repository").asText() : "")
                + (details.hasNonNull("expiresAt") ? ", expiring " + details.path("expiresAt").asText() : "")
                + ". It is shown only now: store it.");
        return ExitCodes.OK;
    }
}
