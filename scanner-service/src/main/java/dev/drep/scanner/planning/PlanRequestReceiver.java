package dev.drep.scanner.planning;

import dev.drep.intake.ConnectorBroker;
import dev.drep.intake.QueueIntake;
import dev.drep.scanner.ScannerConfig;
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
 * Takes jobs to plan from the planning queue for {@link PlanningConsumer}, one at a time per replica, holding no
 * more than that one and the next ({@link QueueIntake}: link credit one, not the messaging connector's
 * thousand), so that a scanner replica added during a burst of pushes takes its share of the waiting plans.
 * At a shutdown it takes no new plan and lets the one in progress finish for {@link ScannerConfig#shutdownGrace()}
 * before releasing it. Readiness reports the receiver ({@link PlanRequestReceiverCheck}).
 */
@ApplicationScoped
public class PlanRequestReceiver {

    private final QueueIntake intake;
    private final Duration shutdownGrace;

    public PlanRequestReceiver(Vertx vertx, PlanningConsumer planning, OpenTelemetry telemetry, ScannerConfig config,
            Config connector, TlsConfigurationRegistry tlsConfigurations) {
        // the same broker, credentials and TLS as the messaging channels (the chart's amqp.tls)
        this.intake = new QueueIntake(vertx, ConnectorBroker.options(connector, tlsConfigurations),
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
