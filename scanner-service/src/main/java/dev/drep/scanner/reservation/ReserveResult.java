package dev.drep.scanner.reservation;

import dev.drep.contracts.ReservationView;
import java.util.List;

/**
 * Answer of a reserve: reservations are advisory, so every pattern is granted; {@code conflicts} says with
 * whom the holder would collide.
 *
 * @param granted   one reservation per distinct pattern (an identical active reservation of the same holder is
 *                  extended and returned instead of duplicated)
 * @param conflicts the other holders' active reservations that conflict, per requested pattern
 * @param warnings  notes on the request, e.g. a whole-repository pattern
 */
public record ReserveResult(List<ReservationView> granted, List<PatternConflict> conflicts, List<String> warnings) {
}
