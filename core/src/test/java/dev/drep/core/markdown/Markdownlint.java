package dev.drep.core.markdown;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs markdownlint-cli2 (npm), the markdown linter the field uses, as installed by {@code ./run-tests} into
 * {@code target/tools/markdownlint-cli2} of the repository root at the version pinned there and here.
 */
final class Markdownlint {
    /** The markdownlint-cli2 version {@code ./run-tests} installs (the last that runs on Node.js 20). */
    static final String VERSION = "0.22.1";
    private static final Pattern PROBLEM =
            Pattern.compile("^(.+?):(\\d+)(?::\\d+)? (?:error|warning) (MD\\d{3})/.*$", Pattern.MULTILINE);

    /** One markdownlint finding: the file (relative to the folder linted), 1-based line and rule (MD009 ...). */
    record Problem(String file, int line, String rule) {
    }

    private Markdownlint() {
    }

    /**
     * Lints every {@code *.md} file of {@code folder} with the configuration {@code configJson} (markdownlint's
     * {@code config} object, as JSON).
     */
    static List<Problem> lint(Path folder, String configJson) throws IOException, InterruptedException {
        Path cli = executable();
        Files.writeString(folder.resolve(".markdownlint-cli2.jsonc"),
                "{\"noInlineConfig\": true, \"config\": " + configJson + "}");
        Process process = new ProcessBuilder(cli.toString(), "*.md").directory(folder.toFile())
                .redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("markdownlint-cli2 did not finish within 3 minutes in " + folder);
        }
        String output = new String(out, StandardCharsets.UTF_8);
        // Exit codes: 0 no problems, 1 problems found, 2 the run itself failed.
        if (process.exitValue() > 1 || !output.contains("markdownlint-cli2 v" + VERSION)) {
            throw new IllegalStateException("markdownlint-cli2 (exit " + process.exitValue() + ") failed or is not "
                    + "version " + VERSION + "; its output:\n" + output);
        }
        List<Problem> problems = new ArrayList<>();
        Matcher m = PROBLEM.matcher(output);
        while (m.find()) {
            problems.add(new Problem(m.group(1), Integer.parseInt(m.group(2)), m.group(3)));
        }
        return problems;
    }

    /** @return the installed markdownlint-cli2, or an error saying how to install it */
    static Path executable() {
        Path root = repositoryRoot();
        Path home = root.resolve("target/tools/markdownlint-cli2");
        Path cli = home.resolve("node_modules/.bin/markdownlint-cli2");
        String installed;
        try {
            installed = Files.readString(home.resolve("version")).strip();
        } catch (IOException e) {
            installed = "";
        }
        if (!Files.isExecutable(cli) || !installed.equals(VERSION)) {
            throw new IllegalStateException("markdownlint-cli2 " + VERSION + " is needed for this test (it is the "
                    + "oracle the markdown checks are held to) and is not installed in " + home + ": run ./run-tests "
                    + "once, or install it with: npm install --prefix " + home + " markdownlint-cli2@" + VERSION
                    + " && echo " + VERSION + " > " + home.resolve("version") + " (needs Node.js 20 or later)");
        }
        return cli;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("run-tests")) && Files.exists(d.resolve("mvnw"))) {
                return d;
            }
        }
        throw new IllegalStateException("no run-tests next to mvnw in " + dir + " or a parent folder");
    }
}
