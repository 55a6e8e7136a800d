package dev.drep.launcher.stack;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to run one service process.
 *
 * @param name                       for messages and the log file, e.g. {@code scanner-service}
 * @param command                    the command line ({@code java ... -jar quarkus-run.jar})
 * @param workingDirectory           where it runs
 * @param addedEnvironment           variables added to the inherited environment
 * @param removedEnvironmentPrefixes inherited variables starting with one of these are removed first
 * @param logFile                    receives stdout and stderr (appended, so restarts keep the history)
 * @param readinessUri               answers 200 once the service is ready
 */
public record ServiceSpec(String name, List<String> command, Path workingDirectory,
        Map<String, String> addedEnvironment, Set<String> removedEnvironmentPrefixes, Path logFile,
        URI readinessUri) {
    public ServiceSpec {
        command = List.copyOf(command);
        addedEnvironment = Map.copyOf(addedEnvironment);
        removedEnvironmentPrefixes = Set.copyOf(removedEnvironmentPrefixes);
    }

    /** @return the readiness endpoint of a Quarkus service whose management interface is on 127.0.0.1:{@code managementPort} */
    public static URI quarkusReadiness(int managementPort) {
        return URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
    }
}
