package dev.drep.scanner.reservation;

import java.util.List;

/**
 * Answer of a check.
 *
 * @param conflicts every (path, reservation) pair where the path lies under another holder's active exclusive
 *                  reservation, in the order of the paths asked about
 */
public record CheckResult(List<PathConflict> conflicts) {
}
