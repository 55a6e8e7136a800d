package dev.drep.scanner.planning;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: whether this replica is attached to the planning queue ({@link PlanRequestReceiver}). Not part of
 * liveness: a broker that cannot be reached takes the replica out of service, it does not restart it.
 */
@Readiness
@ApplicationScoped
public class PlanRequestReceiverCheck implements HealthCheck {
    private final PlanRequestReceiver receiver;

    public PlanRequestReceiverCheck(PlanRequestReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public HealthCheckResponse call() {
        return receiver.intake().readiness("Planning queue receiver");
    }
}
