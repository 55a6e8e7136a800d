package dev.drep.scanner.reservation;

import dev.drep.contracts.ReservationView;

/**
 * A requested pattern that conflicts with another holder's reservation.
 *
 * @param pattern     the requested pattern
 * @param examplePath a path both patterns match, or null when it was not computed (glob against glob beyond
 *                    {@code drep.reservations.max-example-paths} per request)
 * @param reservation the conflicting reservation: holder, pattern, reason, expiry
 */
public record PatternConflict(String pattern, String examplePath, ReservationView reservation) {
}
