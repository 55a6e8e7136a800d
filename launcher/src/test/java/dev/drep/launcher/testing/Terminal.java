package dev.drep.launcher.testing;

import dev.drep.launcher.DrepCommand;
import dev.drep.launcher.LauncherEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs drep in-process with captured output and a controlled environment: the data folder always
 * points into the test's temporary folder, never at the user's ~/.drep.
 */
public final class Terminal {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private LauncherEnvironment env;

    /**
     * @param workingDirectory relative paths resolve against it
     * @param dataFolder       DREP_DATA (and HOME, so that nothing reaches the real home)
     * @param home             the drep home (fake service jars)
     */
    public Terminal(Path workingDirectory, Path dataFolder, Path home) {
        Map<String, String> variables = new HashMap<>();
        variables.put("DREP_DATA", dataFolder.toString());
        variables.put("HOME", dataFolder.resolve("home").toString());
        env = new LauncherEnvironment(new PrintWriter(out, true), new PrintWriter(err, true), variables,
                workingDirectory, false, home);
    }

    /** @return this terminal with another environment variable */
    public Terminal with(String name, String value) {
        Map<String, String> variables = new HashMap<>(env.variables());
        variables.put(name, value);
        env = env.withVariables(variables);
        return this;
    }

    /** @return this terminal, pretending a person watches (progress bar) or not */
    public Terminal interactive(boolean interactive) {
        env = env.withInteractive(interactive);
        return this;
    }

    /** @return the environment drep runs in */
    public LauncherEnvironment environment() {
        return env;
    }

    /** Runs one command; output accumulates. @return its exit code */
    public int run(String... args) {
        return DrepCommand.execute(env, args);
    }

    /** @return everything written to stdout so far */
    public String out() {
        return out.toString();
    }

    /** @return everything written to stderr so far */
    public String err() {
        return err.toString();
    }

    /** Forgets the output so far. */
    public void clear() {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
    }
}
