package dev.drep.publisher.job;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: whether this replica is attached to the results queue ({@link ResultReceiver}). Not part of liveness: a
 * broker that cannot be reached takes the replica out of service, it does not restart it.
 */
@Readiness
@ApplicationScoped
public class ResultReceiverCheck implements HealthCheck {
    private final ResultReceiver receiver;

    public ResultReceiverCheck(ResultReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public HealthCheckResponse call() {
        return receiver.intake().readiness("Results queue receiver");
    }
}
