package dev.drep.scanner.reservation;

import java.time.Instant;

/**
 * A reservation as the API shows it.
 *
 * @param id          its id, for renew, release and force-release
 * @param repository  the repository key
 * @param holder      who holds it
 * @param pattern     the path pattern (gitignore syntax)
 * @param exclusive   exclusive or shared
 * @param reason      why it was taken, or null
 * @param createdAt   when it was taken
 * @param renewedAt   when it was taken or last renewed
 * @param expiresAt   when it ends unless renewed
 * @param state       ACTIVE, EXPIRED, RELEASED or FORCE_RELEASED
 * @param stale       whether it may be force-released now (see {@link ReservationService#isStale})
 * @param endedAt     when it was released or swept; null while active
 * @param endedBy     who ended it; null while active
 * @param endNote     the note of a force-release, or null
 */
public record ReservationView(String id, String repository, String holder, String pattern, boolean exclusive,
        String reason, Instant createdAt, Instant renewedAt, Instant expiresAt, ReservationState state, boolean stale,
        Instant endedAt, String endedBy, String endNote) {

    /** @return the view of {@code r} at {@code now} */
    static ReservationView of(Reservation r, Instant now, boolean stale) {
        return new ReservationView(r.id().toString(), r.repository(), r.holder(), r.pattern(), r.exclusive(),
                r.reason(), r.createdAt(), r.renewedAt(), r.expiresAt(), r.state(now), stale, r.endedAt(), r.endedBy(),
                r.endNote());
    }
}
