package dev.drep.scanner.reservation;

import dev.drep.contracts.ReservationView;
import java.util.List;

/**
 * Answer of {@code GET /api/repositories/{repository}/reservations}.
 *
 * @param reservations newest first
 */
public record ReservationList(List<ReservationView> reservations) {
}
