package dev.drep.scanner.reservation;

import io.quarkus.runtime.Startup;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Sweeps reservations every {@code drep.reservations.sweep-interval}: expired ones are marked EXPIRED (so the
 * live index holds live rows only) and ended ones past the retention are deleted. Every replica sweeps; the
 * statements are idempotent, so overlapping sweeps only repeat work. A timer rather than quarkus-scheduler,
 * which the scanner does not depend on.
 */
@Startup
@ApplicationScoped
public class ReservationSweeper {
    private static final Logger LOG = Logger.getLogger(ReservationSweeper.class);

    private final Vertx vertx;
    private final ReservationService reservations;
    private final ReservationConfig config;
    private long timer = -1;

    public ReservationSweeper(Vertx vertx, ReservationService reservations, ReservationConfig config) {
        this.vertx = vertx;
        this.reservations = reservations;
        this.config = config;
    }

    @PostConstruct
    void start() {
        long interval = Math.max(1000, config.sweepInterval().toMillis());
        timer = vertx.setPeriodic(interval, id -> sweepOnce());
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void sweepOnce() {
        reservations.sweep().subscribe().with(
                result -> {
                    if (result.expired() > 0 || result.deleted() > 0) {
                        LOG.debugf("reservation sweep: %d expired, %d deleted", result.expired(), result.deleted());
                    }
                },
                failure -> LOG.warnf("reservation sweep failed (retried at the next interval): %s", failure.getMessage()));
    }
}
