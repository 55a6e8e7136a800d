package dev.drep.analyzer.unit;

import dev.drep.intake.QueueIntake;
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
 * Takes work units from the analysis queue for {@link WorkUnitConsumer}, {@link UnitIntakeConfig#concurrency()}
 * at once, holding no more than it works on plus the next one ({@link QueueIntake}: link credit one, not the
 * messaging connector's thousand), so that a replica started for a backlog gets work from it. Each unit runs on
 * its own Vert.x context under a consumer span continuing the message's trace; it is accepted once processed and
 * released as failed otherwise. At a shutdown it takes no new unit and lets those in progress finish for
 * {@link UnitIntakeConfig#shutdownGrace()} before releasing them. Readiness reports the receiver ({@link WorkUnitReceiverCheck}).
 */
@ApplicationScoped
public class WorkUnitReceiver {
    /** The messaging connector's TLS configuration, which the receiver shares. */
    static final String TLS_CONFIGURATION_NAME = "mp.messaging.connector.smallrye-amqp.tls-configuration-name";

    private final QueueIntake intake;
    private final Duration shutdownGrace;

    public WorkUnitReceiver(Vertx vertx, WorkUnitConsumer consumer, UnitIntakeConfig config, OpenTelemetry telemetry,
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
                new QueueIntake.Settings(config.address(), config.concurrency(), config.reconnectDelay()), telemetry,
                consumer::consume);
        this.shutdownGrace = config.shutdownGrace();
    }

    void start(@Observes StartupEvent event) {
        intake.start();
    }

    /** First among the shutdown observers, while the database, the messaging channels and Vert.x still run. */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        // no new unit; those in progress finish within the grace or go back to the queue for another replica
        intake.stop(shutdownGrace);
    }

    /** @return the receiver, for readiness */
    public QueueIntake intake() {
        return intake;
    }
}
