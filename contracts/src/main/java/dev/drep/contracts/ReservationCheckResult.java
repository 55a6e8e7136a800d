package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Answer of a check.
 *
 * @param conflicts every (path, reservation) pair where the path lies under another holder's active exclusive
 *                  reservation, in the order of the paths asked about
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReservationCheckResult(List<PathConflict> conflicts) {
}
