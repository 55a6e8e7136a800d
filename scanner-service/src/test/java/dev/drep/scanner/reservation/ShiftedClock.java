package dev.drep.scanner.reservation;

import java.time.Duration;
import java.time.Instant;

/** A {@link ReservationClock} that tests move forward, installed with {@code QuarkusMock}. */
class ShiftedClock extends ReservationClock {
    private volatile Duration offset = Duration.ZERO;

    @Override
    public Instant now() {
        return super.now().plus(offset);
    }

    void advance(Duration by) {
        offset = offset.plus(by);
    }
}
