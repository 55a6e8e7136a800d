package dev.drep.analyzer.unit;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: whether this replica is attached to the analysis queue ({@link WorkUnitReceiver}). Not part of
 * liveness: a broker that cannot be reached takes the replica out of service, it does not restart it.
 */
@Readiness
@ApplicationScoped
public class WorkUnitReceiverCheck implements HealthCheck {
    private final WorkUnitReceiver receiver;

    public WorkUnitReceiverCheck(WorkUnitReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public HealthCheckResponse call() {
        return receiver.intake().readiness("Analysis queue receiver");
    }
}
