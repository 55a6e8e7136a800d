package dev.drep.launcher.stack;

import dev.drep.launcher.LauncherEnvironment;
import java.nio.file.Path;

/**
 * The data folder of a local stack: logs, the state file of {@code drep up}, and that stack's
 * PostgreSQL data and broker journal.
 *
 * @param root the folder
 */
public record DataFolder(Path root) {
    /** Environment variable naming the data folder when {@code --data} is not given. */
    public static final String DATA_VARIABLE = "DREP_DATA";

    /** @return {@code --data}, else DREP_DATA, else {@code $HOME/.drep} */
    public static DataFolder resolve(Path option, LauncherEnvironment env) {
        if (option != null) {
            return new DataFolder(env.resolve(option.toString()));
        }
        String variable = env.variable(DATA_VARIABLE);
        if (variable != null) {
            return new DataFolder(env.resolve(variable));
        }
        String home = env.variable("HOME");
        Path base = home != null ? Path.of(home) : Path.of(System.getProperty("user.home"));
        return new DataFolder(base.resolve(".drep").toAbsolutePath().normalize());
    }

    /** @return the logs folder */
    public Path logs() {
        return root.resolve("logs");
    }

    /** @return {@code logs/<name>.log} */
    public Path log(String name) {
        return logs().resolve(name + ".log");
    }

    /** @return where the background stack's own output goes */
    public Path daemonLog() {
        return log("stack");
    }

    /** @return PostgreSQL's data of the {@code drep up} stack */
    public Path postgres() {
        return root.resolve("postgres");
    }

    /** @return the broker journal of the {@code drep up} stack */
    public Path broker() {
        return root.resolve("broker");
    }

    /** @return the running stack's admin token, readable by the user only ({@code drep up} writes it) */
    public Path adminToken() {
        return root.resolve("admin-token");
    }

    /** @return the state file of a running {@code drep up} stack */
    public Path stateFile() {
        return root.resolve("stack.json");
    }

    /** @return held by the background stack while it runs, so that two cannot share the folder */
    public Path lockFile() {
        return root.resolve("stack.lock");
    }
}
