package dev.drep.e2e;

import dev.drep.launcher.DrepCommand;
import dev.drep.launcher.LauncherEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the real {@code drep} launcher in-process against the packaged services of this build. */
final class Drep {
    /** What one command printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    private final Path dataDir;
    private final Map<String, String> extraVariables;

    Drep(Path dataDir) {
        this(dataDir, Map.of());
    }

    /** @param extraVariables environment variables the launcher is given on top of this JVM's */
    Drep(Path dataDir, Map<String, String> extraVariables) {
        this.dataDir = dataDir;
        this.extraVariables = Map.copyOf(extraVariables);
    }

    Run run(Path workingDir, String... args) {
        return run(workingDir, new StringWriter(), args);
    }

    /**
     * As {@link #run(Path, String...)}, writing standard error to {@code err} as it is printed, for a test that
     * watches a command running on another thread (a StringWriter is thread-safe).
     */
    Run run(Path workingDir, StringWriter err, String... args) {
        StringWriter out = new StringWriter();
        Map<String, String> variables = new HashMap<>(System.getenv());
        variables.put("DREP_DATA", dataDir.toString());
        variables.remove("DREP_LLM_API_KEY");
        variables.putAll(extraVariables);
        LauncherEnvironment env = LauncherEnvironment.system()
                .withOutput(new PrintWriter(out, true), new PrintWriter(err, true))
                .withVariables(variables)
                .withWorkingDirectory(workingDir)
                .withInteractive(false)
                .withHome(home());
        int code = DrepCommand.execute(env, args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path home() {
        String home = System.getProperty("drep.home");
        if (home == null) {
            throw new IllegalStateException("drep.home is not set: run through Maven (e2e-tests/pom.xml sets it)");
        }
        return Path.of(home);
    }
}
