package dev.drep.launcher.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to start a {@link LocalStack}.
 *
 * @param home               where the service jars are
 * @param workDirectory      the services' working directory
 * @param logs               folder for {@code <service>.log} and {@code infra.log}
 * @param postgresData       PostgreSQL's data folder (kept), or null for a temporary one
 * @param brokerData         the broker journal (kept), or null for an in-memory broker
 * @param preferDefaultPorts use the services' usual ports when they are free
 * @param startTimeout       how long the services may take to become ready
 * @param variables          the environment the user gave the launcher (provider settings)
 * @param java               the java executable for the services
 * @param jvmOptions         JVM options for the services
 * @param listen             the address the services listen on (127.0.0.1 unless {@code drep up --listen})
 */
public record StackConfig(DrepHome home, Path workDirectory, Path logs, Path postgresData, Path brokerData,
        boolean preferDefaultPorts, Duration startTimeout, Map<String, String> variables, Path java,
        List<String> jvmOptions, String listen) {
    public StackConfig {
        variables = Map.copyOf(variables);
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** @return the java executable of the running JVM, so that services run on the same Java */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
