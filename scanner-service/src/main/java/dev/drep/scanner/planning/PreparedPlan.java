package dev.drep.scanner.planning;

import dev.drep.contracts.JobPlan;
import dev.drep.contracts.WorkUnit;
import java.util.List;

/**
 * The outcome of the git side of planning.
 *
 * @param plan          what the publisher must gather, or null when the job is finished already
 * @param units         the units to publish after the plan is registered, without file contents
 * @param baseCommit    the base of the reviewed range (null: the empty tree)
 * @param headCommit    the head of the reviewed range
 * @param startCommit   GitLab's start_sha, or null
 * @param previousHead  the head the incremental selection started from, or null
 * @param doneMessage   when there is nothing to do (already reviewed, nothing new): why; else null
 * @param contents      reads the units' file contents as they are sent (the units carry none), or null
 *                      when there are no units
 */
record PreparedPlan(JobPlan plan, List<WorkUnit> units, String baseCommit, String headCommit, String startCommit,
        String previousHead, String doneMessage, UnitContents contents) {

    static PreparedPlan nothingToDo(String baseCommit, String headCommit, String message) {
        return new PreparedPlan(null, List.of(), baseCommit, headCommit, null, null, message, null);
    }
}
