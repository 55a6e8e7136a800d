package dev.drep.scanner.job;

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
 * Takes the publisher's job events from {@code drep.job.events} for {@link JobEventsConsumer}, through
 * {@link QueueIntake} rather than a messaging channel: after a broker restart the connector's channel re-attached but,
 * now and then, never processed another event — readiness said OK, the jobs stayed ANALYZING although their reviews
 * were published, and {@code drep review} waited for good (the end-to-end test's broker restart caught it). One event
 * at a time, as the channel did: events of one job are applied in the order they arrive.
 */
@ApplicationScoped
public class JobEventReceiver {
    /** Where the publisher sends job events. */
    public static final String ADDRESS = "drep.job.events";
    // an event in hand is milliseconds of database: what is not done by then goes back to the queue
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final QueueIntake intake;

    public JobEventReceiver(Vertx vertx, JobEventsConsumer events, OpenTelemetry telemetry,
            Config connector, TlsConfigurationRegistry tlsConfigurations) {
        // the same broker, credentials and TLS as the messaging channels (the chart's amqp.tls)
        this.intake = new QueueIntake(vertx, ConnectorBroker.options(connector, tlsConfigurations),
                new QueueIntake.Settings(ADDRESS, 1, Duration.ofSeconds(1)), telemetry, events::apply);
    }

    void start(@Observes StartupEvent event) {
        intake.start();
    }

    /** First among the shutdown observers, while the database and Vert.x still run. */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        intake.stop(SHUTDOWN_GRACE);
    }

    /** @return the receiver, for readiness */
    public QueueIntake intake() {
        return intake;
    }
}
