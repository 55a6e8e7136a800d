package dev.drep.analyzer.unit;

import dev.drep.intake.ConnectorBroker;
import dev.drep.intake.QueueIntake;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;

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

    private final QueueIntake intake;
    private final Duration shutdownGrace;

    public WorkUnitReceiver(Vertx vertx, WorkUnitConsumer consumer, UnitIntakeConfig config, OpenTelemetry telemetry,
            Config connector, TlsConfigurationRegistry tlsConfigurations) {
        // the same broker, credentials and TLS as the messaging channels (the chart's amqp.tls)
        this.intake = new QueueIntake(vertx, ConnectorBroker.options(connector, tlsConfigurations),
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
