package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Body of {@code POST /api/repositories/{repository}/reservations/check}: would changing these paths collide
 * with someone's exclusive reservation? The guard hooks ask this before a commit or push.
 *
 * @param holder who is changing them; their own reservations never conflict. Null counts as nobody's.
 * @param paths  file paths relative to the repository root (literal, not patterns)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReservationCheckRequest(String holder, List<String> paths) {
}
