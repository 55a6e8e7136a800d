package dev.drep.publisher.job;

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
 * Takes unit results from {@code drep.analysis.results} for {@link ResultConsumer}, through {@link QueueIntake} rather
 * than a messaging channel: after a broker restart the connector's channel re-attached its receiver but, now and
 * then, never processed another message (results piled up on the broker, readiness said OK, and the jobs waited for
 * their deadline — the end-to-end test's broker restart caught it), while the intake reconnects with its own
 * back-off, acknowledges each message itself and reports in readiness ({@link ResultReceiverCheck}). Four results
 * at a time: each is a few milliseconds of database, and results are stored per unit id, so order does not matter.
 */
@ApplicationScoped
public class ResultReceiver {
    /** Where the analyzers send results. */
    public static final String ADDRESS = "drep.analysis.results";
    private static final int CONCURRENCY = 4;
    // a result in hand is milliseconds of database: what is not done by then goes back to the queue
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final QueueIntake intake;

    public ResultReceiver(Vertx vertx, ResultConsumer results, OpenTelemetry telemetry,
            Config connector, TlsConfigurationRegistry tlsConfigurations) {
        // the same broker, credentials and TLS as the messaging channels (the chart's amqp.tls)
        this.intake = new QueueIntake(vertx, ConnectorBroker.options(connector, tlsConfigurations),
                new QueueIntake.Settings(ADDRESS, CONCURRENCY, Duration.ofSeconds(1)), telemetry, results::gather);
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
