package dev.drep.scanner.planning;

import dev.drep.scanner.config.RepositoryConfiguration;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What decides, file by file, whether and how a changed file is analysed.
 *
 * @param ignored       true for paths that must not be analysed at all (dropped silently)
 * @param selected      the paths to analyse in this run, or null for every changed path; the others are
 *                      carried over from the previous review of the pull request
 * @param configuration per-path instructions and the analyzers switched on
 * @param priority      {@code interactive} or {@code batch}, written into the units
 * @param wholeFiles    true for scans: every line of an analysed file may carry a finding, not only the
 *                      lines changed in the range
 */
public record PlanningRules(Predicate<String> ignored, Set<String> selected, RepositoryConfiguration configuration,
        String priority, boolean wholeFiles) {
}
