package dev.drep.scanner.reservation;

import dev.drep.contracts.ReservationView;
import java.util.List;

/**
 * Answer of a release.
 *
 * @param released     the reservations this request released
 * @param notReleased  what was named but had already ended (released, force-released or expired), or a pattern
 *                     matching none of the holder's active reservations
 */
public record ReleaseResult(List<ReservationView> released, List<Unchanged> notReleased) {
}
