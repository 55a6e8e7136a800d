package dev.drep.scanner.planning;

import dev.drep.contracts.NotAnalyzed;
import dev.drep.contracts.WorkUnit;
import java.util.List;
import java.util.Map;

/**
 * What planning produced for a job.
 *
 * @param units       the work units to publish
 * @param notAnalyzed changed files skipped, with the reason
 * @param deleted     paths deleted between base and head
 * @param carriedOver changed files (base..head) not analysed again because they did not change since the
 *                    previous review; their earlier findings stand
 * @param renamed     files renamed between base and head: path at head → path at base
 */
public record PlannedWork(List<WorkUnit> units, List<NotAnalyzed> notAnalyzed, List<String> deleted,
        List<String> carriedOver, Map<String, String> renamed) {
}
