package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A path that lies under another holder's active exclusive reservation.
 *
 * @param path        the path as checked (normalized)
 * @param reservation the reservation: holder, pattern, reason, expiry
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PathConflict(String path, ReservationView reservation) {
}
