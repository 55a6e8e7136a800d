package dev.drep.scanner.reservation;

import dev.drep.contracts.ReservationState;
import dev.drep.contracts.ReservationView;
import java.time.Instant;
import java.util.UUID;

/**
 * One stored reservation: a holder's lease on one path pattern of one repository.
 *
 * @param id         its id
 * @param repository the repository key, e.g. {@code acme/docs}
 * @param holder     who holds it (free-form: an agent name, an e-mail address, a login)
 * @param pattern    the path pattern in gitignore syntax, canonical (trailing unescaped spaces removed)
 * @param exclusive  exclusive (conflicts with anything of another holder) or shared (conflicts only with
 *                   another holder's exclusive reservation)
 * @param reason     why it was taken, or null
 * @param createdAt  when it was taken
 * @param renewedAt  when it was taken or last renewed
 * @param expiresAt  when it ends unless renewed
 * @param endedAt    when it was released, force-released or swept as expired; null while not ended
 * @param endedBy    who ended it (the holder, the forcing party, or {@code drep} for the sweep); null while not ended
 * @param endKind    how it ended ({@link ReservationState#RELEASED}, {@link ReservationState#FORCE_RELEASED} or
 *                   {@link ReservationState#EXPIRED}); null while not ended
 * @param endNote    the note given with a force-release, or null
 */
public record Reservation(UUID id, String repository, String holder, String pattern, boolean exclusive, String reason,
        Instant createdAt, Instant renewedAt, Instant expiresAt, Instant endedAt, String endedBy,
        ReservationState endKind, String endNote) {

    /** @return its state at {@code now} */
    public ReservationState state(Instant now) {
        if (endKind != null) {
            return endKind;
        }
        return expiresAt.isAfter(now) ? ReservationState.ACTIVE : ReservationState.EXPIRED;
    }

    /** @return whether it takes part in conflicts at {@code now}: neither ended nor expired */
    public boolean isActive(Instant now) {
        return state(now) == ReservationState.ACTIVE;
    }

    /** @return the API view of this reservation at {@code now} */
    public ReservationView view(Instant now, boolean stale) {
        return new ReservationView(id().toString(), repository(), holder(), pattern(), exclusive(), reason(), createdAt(),
                renewedAt(), expiresAt(), state(now), stale, endedAt(), endedBy(), endNote());
    }
}
