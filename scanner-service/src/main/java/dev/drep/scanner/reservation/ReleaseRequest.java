package dev.drep.scanner.reservation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Body of {@code POST /api/repositories/{repository}/reservations/release}. Names the holder's reservations by
 * id, by pattern, or both. Releasing is idempotent.
 *
 * @param holder   whose reservations (required; only the holder releases, others use force-release)
 * @param ids      reservation ids
 * @param patterns patterns of the holder's active reservations
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseRequest(String holder, List<String> ids, List<String> patterns) {
}
