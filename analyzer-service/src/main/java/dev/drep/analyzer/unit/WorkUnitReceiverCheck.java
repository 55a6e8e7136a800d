package dev.drep.analyzer.unit;

import dev.drep.intake.QueueIntake;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
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
        QueueIntake intake = receiver.intake();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Analysis queue receiver")
                .status(intake.attached())
                .withData("address", intake.address())
                .withData("unitsInProgress", intake.inProgress());
        String problem = intake.problem();
        return problem == null ? response.build() : response.withData("problem", problem).build();
    }
}
