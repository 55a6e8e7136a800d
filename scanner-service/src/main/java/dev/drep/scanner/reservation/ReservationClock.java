package dev.drep.scanner.reservation;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The time reservations are judged by. Every expiry and staleness decision takes "now" from here (not from
 * the database's {@code now()}), so that tests can move time forward instead of waiting out a TTL.
 */
@ApplicationScoped
public class ReservationClock {

    /** @return the current time at PostgreSQL's precision (microseconds), so stored and compared values agree */
    public Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
