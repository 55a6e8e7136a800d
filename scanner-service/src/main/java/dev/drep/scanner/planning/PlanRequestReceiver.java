package dev.drep.scanner.planning;

import dev.drep.intake.QueueIntake;
import dev.drep.scanner.ScannerConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Takes jobs to plan from the planning queue for {@link PlanningConsumer}, one at a time per replica, holding no
 * more than that one and the next ({@link QueueIntake}: link credit one, not the messaging connector's
 * thousand), so that a scanner replica added during a burst of pushes takes its share of the waiting plans.
 * At a shutdown it takes no new plan and lets the one in progress finish for {@link ScannerConfig#shutdownGrace()}
 * before releasing it. Readiness reports the receiver ({@link PlanRequestReceiverCheck}).
 */
@ApplicationScoped
public class PlanRequestReceiver {
    /** The messaging connector's TLS configuration, which the receiver shares. */
    static final String TLS_CONFIGURATION_NAME = "mp.messaging.connector.smallrye-amqp.tls-configuration-name";

    private final QueueIntake intake;
    private final Duration shutdownGrace;

    public PlanRequestReceiver(Vertx vertx, PlanningConsumer planning, OpenTelemetry telemetry, ScannerConfig config,
            @ConfigProperty(name = "amqp-host") String host, @ConfigProperty(name = "amqp-port") int port,
            @ConfigProperty(name = "amqp-username") Optional<String> username,
            @ConfigProperty(name = "amqp-password") Optional<String> password,
            @ConfigProperty(name = "amqp-use-ssl", defaultValue = "false") boolean useSsl,
            @ConfigProperty(name = TLS_CONFIGURATION_NAME) Optional<String> tlsConfigurationName,
            TlsConfigurationRegistry tlsConfigurations) {
        // the same TLS as the messaging channels (the chart's amqp.tls): amqp-use-ssl and the connector's named
        // TLS configuration (trust store, optional client certificate); the broker's host name is always verified
        Optional<TlsConfiguration> tls = tlsConfigurationName.map(name -> tlsConfigurations.get(name).orElseThrow(() ->
                new IllegalStateException(TLS_CONFIGURATION_NAME + " names the TLS configuration '" + name
                        + "', which is not configured: set quarkus.tls.\"" + name + "\".trust-store.* or remove the name")));
        this.intake = new QueueIntake(vertx, QueueIntake.broker(host, port, username, password, QueueIntake.Tls.of(useSsl,
                        tls.map(TlsConfiguration::getTrustStoreOptions), tls.map(TlsConfiguration::getKeyStoreOptions))),
                new QueueIntake.Settings(PlanningQueue.ADDRESS, 1, Duration.ofSeconds(1)), telemetry, planning::plan);
        this.shutdownGrace = config.shutdownGrace();
    }

    void start(@Observes StartupEvent event) {
        intake.start();
    }

    /** First among the shutdown observers, while the database, the messaging channels and Vert.x still run. */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        // no new plan; the one in progress finishes within the grace or goes back to the queue for another replica
        intake.stop(shutdownGrace);
    }

    /** @return the receiver, for readiness */
    public QueueIntake intake() {
        return intake;
    }
}
