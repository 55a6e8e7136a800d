package dev.drep.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the launcher takes from the world around it: where it writes, the environment
 * variables the user gave it, the working directory, whether a person watches a terminal, and the
 * drep home (the repository root holding the service jars).
 *
 * <p>{@link #system()} describes the real process; tests build their own with the {@code with...}
 * methods so that {@link DrepCommand#execute(LauncherEnvironment, String...)} runs in-process with
 * captured output, a chosen home folder and chosen variables.
 *
 * @param out              the command's results (the review, JSON, URLs)
 * @param err              progress, notes and errors, so that {@code out} stays machine-readable
 * @param variables        environment variables (DREP_DATA, DREP_HOME, HOME, DREP_LLM_*)
 * @param workingDirectory what relative paths are resolved against
 * @param interactive      true when a person watches a terminal (progress bar instead of lines)
 * @param home             the drep home, or null to take it from {@code -Ddrep.home}, DREP_HOME or the
 *                         launcher jar's location
 */
public record LauncherEnvironment(PrintWriter out, PrintWriter err, Map<String, String> variables,
        Path workingDirectory, boolean interactive, Path home) {

    /** System property naming the drep home; wins over the DREP_HOME variable. */
    public static final String HOME_PROPERTY = "drep.home";
    /** Environment variable naming the drep home; the {@code drep} script sets it. */
    public static final String HOME_VARIABLE = "DREP_HOME";

    public LauncherEnvironment {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        variables = Map.copyOf(variables);
        workingDirectory = workingDirectory.toAbsolutePath().normalize();
        home = home == null ? null : home.toAbsolutePath().normalize();
    }

    /** @return the environment of this JVM: System.out/err, System.getenv(), user.dir, System.console() */
    public static LauncherEnvironment system() {
        String homeProperty = System.getProperty(HOME_PROPERTY);
        return new LauncherEnvironment(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                System.getenv(), Path.of(System.getProperty("user.dir")), System.console() != null,
                homeProperty == null || homeProperty.isBlank() ? null : Path.of(homeProperty));
    }

    /** @return a copy writing to other writers */
    public LauncherEnvironment withOutput(PrintWriter newOut, PrintWriter newErr) {
        return new LauncherEnvironment(newOut, newErr, variables, workingDirectory, interactive, home);
    }

    /** @return a copy with other environment variables (replacing all of them) */
    public LauncherEnvironment withVariables(Map<String, String> newVariables) {
        return new LauncherEnvironment(out, err, newVariables, workingDirectory, interactive, home);
    }

    /** @return a copy resolving relative paths against another folder */
    public LauncherEnvironment withWorkingDirectory(Path folder) {
        return new LauncherEnvironment(out, err, variables, folder, interactive, home);
    }

    /** @return a copy that does or does not behave as if a person watched a terminal */
    public LauncherEnvironment withInteractive(boolean newInteractive) {
        return new LauncherEnvironment(out, err, variables, workingDirectory, newInteractive, home);
    }

    /** @return a copy with another drep home (the folder holding the service modules) */
    public LauncherEnvironment withHome(Path newHome) {
        return new LauncherEnvironment(out, err, variables, workingDirectory, interactive, newHome);
    }

    /** @return the variable's value, or null when it is unset or blank */
    public String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** @return {@code path} made absolute against the working directory */
    public Path resolve(String path) {
        return workingDirectory.resolve(path).toAbsolutePath().normalize();
    }
}
