package dev.drep.testsupport.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.testsupport.identity.EndpointAccess;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code redocly lint} (npm {@code @redocly/cli}, pinned to {@link #VERSION}) with the repository's
 * {@code redocly.yaml} (the recommended rules, and the rules drep switches off with the reason) on an OpenAPI document.
 * The CLI is installed once per checkout with npm into {@code target/tools/} of the repository root; {@code npm} must be
 * on the PATH ({@code ./run-tests} installs it where it is missing).
 */
public final class RedoclyLint {
    /** The @redocly/cli version the documents are checked with. */
    public static final String VERSION = "2.77.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One problem redocly reports: its rule, severity ({@code error} or {@code warn}), message and where. */
    public record Problem(String rule, String severity, String message, String where) {
        @Override
        public String toString() {
            return severity + " " + rule + " at " + where + ": " + message;
        }
    }

    private RedoclyLint() {
    }

    /**
     * Writes the service's document (read as the test admin) to {@code target/openapi/openapi.json} and lints it.
     *
     * @return every error and warning redocly reports on the service's document
     */
    public static List<Problem> lintServiceDocument() throws IOException, InterruptedException {
        Path file = Path.of("target/openapi/openapi.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(EndpointAccess.document()));
        return lint(file);
    }

    /**
     * @param document an OpenAPI document (JSON or YAML)
     * @return every error and warning redocly reports on it
     */
    public static List<Problem> lint(Path document) throws IOException, InterruptedException {
        Path root = repositoryRoot();
        Path cli = install(root);
        Process process = new ProcessBuilder(cli.toString(), "lint", "--format=json",
                "--config=" + root.resolve("redocly.yaml"), document.toAbsolutePath().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("redocly lint did not finish within 3 minutes on " + document);
        }
        JsonNode report;
        try {
            report = JSON.readTree(out);
        } catch (IOException e) {
            throw new IllegalStateException("redocly lint (exit " + process.exitValue() + ") did not answer JSON: "
                    + new String(out, StandardCharsets.UTF_8), e);
        }
        List<Problem> problems = new ArrayList<>();
        for (JsonNode problem : report.path("problems")) {
            String where = problem.path("location").path(0).path("pointer").asText("");
            problems.add(new Problem(problem.path("ruleId").asText(), problem.path("severity").asText(),
                    problem.path("message").asText(), where));
        }
        return problems;
    }

    /** @return the redocly executable, installed with npm into {@code target/tools/redocly-cli-<version>} at first use */
    static synchronized Path install(Path root) throws IOException, InterruptedException {
        Path home = root.resolve("target/tools/redocly-cli-" + VERSION);
        Path cli = home.resolve("node_modules/.bin/redocly");
        if (Files.isExecutable(cli)) {
            return cli;
        }
        Files.createDirectories(home.getParent());
        Path staging = Files.createTempDirectory(home.getParent(), "redocly-install");
        Path log = staging.resolve("npm-install.log");
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", staging.toString(),
                    "@redocly/cli@" + VERSION)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("npm is needed to install @redocly/cli " + VERSION + " for the OpenAPI lint test "
                    + "and was not found on the PATH: install npm (./run-tests does on Debian and Ubuntu)", e);
        }
        if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install @redocly/cli@" + VERSION + " failed; its output:\n"
                    + Files.readString(log));
        }
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isExecutable(cli)) { // not installed by another build in the meantime
                throw e;
            }
        }
        return cli;
    }

    /** @return the folder holding the Maven wrapper and {@code redocly.yaml}: the working directory or a parent of it */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("redocly.yaml")) && Files.exists(d.resolve("mvnw"))) {
                return d;
            }
        }
        throw new IllegalStateException("no redocly.yaml next to mvnw in " + dir + " or a parent folder");
    }
}
