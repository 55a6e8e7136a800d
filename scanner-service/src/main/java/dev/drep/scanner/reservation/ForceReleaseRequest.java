package dev.drep.scanner.reservation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of {@code POST /api/repositories/{repository}/reservations/{id}/force-release}.
 *
 * @param by   who forces the release (required; recorded)
 * @param note why (recorded and shown in listings)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ForceReleaseRequest(String by, String note) {
}
