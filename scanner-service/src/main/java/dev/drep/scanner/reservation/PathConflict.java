package dev.drep.scanner.reservation;

/**
 * A path that lies under another holder's active exclusive reservation.
 *
 * @param path        the path as checked (normalized)
 * @param reservation the reservation: holder, pattern, reason, expiry
 */
public record PathConflict(String path, ReservationView reservation) {
}
