package dev.drep.scanner.job;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: whether this replica is attached to the job-event queue ({@link JobEventReceiver}). Not part of liveness:
 * a broker that cannot be reached takes the replica out of service, it does not restart it.
 */
@Readiness
@ApplicationScoped
public class JobEventReceiverCheck implements HealthCheck {
    private final JobEventReceiver receiver;

    public JobEventReceiverCheck(JobEventReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public HealthCheckResponse call() {
        return receiver.intake().readiness("Job events receiver");
    }
}
