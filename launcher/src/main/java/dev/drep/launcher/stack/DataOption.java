package dev.drep.launcher.stack;

import dev.drep.launcher.LauncherEnvironment;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option shared by the commands that deal with a local stack. */
public final class DataOption {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder of the local stack (logs, state, database). Default: $DREP_DATA, else ~/.drep.")
    Path data;

    /** @return the data folder the option, the environment or the default names */
    public DataFolder resolve(LauncherEnvironment env) {
        return DataFolder.resolve(data, env);
    }
}
