package dev.drep.contracts;

/**
 * One line of a job profile.
 *
 * @param stage      the stage
 * @param wallMillis wall time attributed to the stage: each instant of the job goes to at most one stage (the
 *                   one highest in {@code JobProfiles}' precedence among those active then), so these add up to
 *                   the job's wall time minus what no service accounted for
 * @param share      {@code wallMillis} as a fraction of the job's wall time (0..1)
 * @param busyMillis time spent in the stage summed over the job's lines of work (units run in parallel, so
 *                   this can exceed the wall time)
 */
public record StageTime(Stage stage, long wallMillis, double share, long busyMillis) {
}
