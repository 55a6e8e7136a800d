package dev.drep.scanner.reservation;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Sweeps reservations every {@code drep.reservations.sweep-interval}: expired ones are marked EXPIRED (so the
 * live index holds live rows only) and ended ones past the retention are deleted. Every replica sweeps; the
 * statements are idempotent, so overlapping sweeps only repeat work.
 */
@ApplicationScoped
public class ReservationSweeper {
    private static final Logger LOG = Logger.getLogger(ReservationSweeper.class);

    private final ReservationService reservations;

    public ReservationSweeper(ReservationService reservations) {
        this.reservations = reservations;
    }

    @Scheduled(identity = "drep-reservation-sweep", every = "${drep.reservations.sweep-interval:PT60S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return reservations.sweep()
                .invoke(result -> {
                    if (result.expired() > 0 || result.deleted() > 0) {
                        LOG.debugf("reservation sweep: %d expired, %d deleted", result.expired(), result.deleted());
                    }
                })
                .onFailure().invoke(failure -> LOG.warnf("reservation sweep failed (retried at the next interval): %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
