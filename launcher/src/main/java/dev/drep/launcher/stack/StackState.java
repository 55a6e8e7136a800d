package dev.drep.launcher.stack;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code drep up} left running, as recorded in the data folder's state file. Holds ports, process
 * ids and paths only: never a secret (the LLM API key stays in the gateway's environment).
 *
 * @param status          {@link Status#STARTING} until every service is ready, then {@link Status#READY}
 * @param daemonPid       the background launcher holding PostgreSQL and the broker
 * @param daemonStartedAt when that process started (tells it apart from a later process with a reused pid)
 * @param dataFolder      the data folder
 * @param postgresPort    PostgreSQL's port on 127.0.0.1
 * @param jdbcUrl         the shared database, for people who want to look into it
 * @param brokerPort      the AMQP port on 127.0.0.1
 * @param services        the service processes
 * @param updatedAt       when the file was last written
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StackState(Status status, long daemonPid, Instant daemonStartedAt, String dataFolder, int postgresPort,
        String jdbcUrl, int brokerPort, List<Service> services, Instant updatedAt) {

    public StackState {
        services = services == null ? List.of() : List.copyOf(services);
    }

    /** Where the background stack is. */
    public enum Status {
        STARTING, READY
    }

    /**
     * One service of the stack.
     *
     * @param name      module name, e.g. {@code scanner-service}
     * @param url       its base URL
     * @param pid       its process id (0 before it started)
     * @param startedAt when that process started
     * @param log       its log file
     * @param restarts  how often the daemon restarted it after it exited
     * @param gaveUp    true when it kept exiting and the daemon stopped restarting it
     * @param managementUrl the base URL of its management interface (health and metrics); absent in the state of
     *                  a stack started by an older launcher, whose services served them on {@code url}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Service(String name, String url, long pid, Instant startedAt, String log, int restarts,
            boolean gaveUp, String managementUrl) {
        /** @return its readiness endpoint, on the management interface */
        public URI readinessUri() {
            return URI.create(managementBase() + "/q/health/ready");
        }

        /** @return its Prometheus metrics, on the management interface */
        public URI metricsUri() {
            return URI.create(managementBase() + "/q/metrics");
        }

        private String managementBase() {
            return managementUrl == null || managementUrl.isBlank() ? url : managementUrl;
        }
    }

    /** @return the service of that kind, when recorded */
    public Optional<Service> service(ServiceKind kind) {
        return services.stream().filter(s -> s.name().equals(kind.module())).findFirst();
    }

    /** @return true when the daemon process still runs */
    public boolean daemonAlive() {
        return Processes.isRunning(daemonPid, daemonStartedAt);
    }
}
