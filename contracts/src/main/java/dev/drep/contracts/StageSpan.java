package dev.drep.contracts;

import java.time.Instant;

/**
 * An interval a service spent in one {@link Stage} for a job.
 *
 * @param stage  the stage
 * @param source who spent it: {@code scanner}, {@code publisher}, or a work unit's id (spans of one source are
 *               one line of work; spans of different sources may run in parallel)
 * @param start  when it began
 * @param end    when it ended (not before start)
 */
public record StageSpan(Stage stage, String source, Instant start, Instant end) {
    public StageSpan {
        if (stage == null || start == null || end == null) {
            throw new IllegalArgumentException("a stage span needs a stage, a start and an end");
        }
        if (end.isBefore(start)) {
            end = start; // clocks of different hosts may disagree slightly; never a negative interval
        }
    }

    /** @return the span's length in microseconds */
    public long micros() {
        return java.time.Duration.between(start, end).toNanos() / 1_000;
    }
}
