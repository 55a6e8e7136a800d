package dev.drep.scanner.reservation;

/**
 * Something a renew or release request named that it did not change.
 *
 * @param id      the reservation id, or null when a pattern matched none of the holder's reservations
 * @param pattern the pattern
 * @param reason  why, e.g. {@code expired at 2026-01-01T10:00:00Z}
 */
public record Unchanged(String id, String pattern, String reason) {
}
