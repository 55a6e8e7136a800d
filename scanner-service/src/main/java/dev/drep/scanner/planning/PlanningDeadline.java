package dev.drep.scanner.planning;

import java.time.Duration;

/**
 * When the planning of one job must have finished ({@code drep.scanner.job-limits.planning-timeout}); the
 * git side checks it between files so that a planning over time stops instead of running on unseen.
 */
public final class PlanningDeadline {
    private final Duration limit;
    private final long endsAtNanos;

    private PlanningDeadline(Duration limit, long endsAtNanos) {
        this.limit = limit;
        this.endsAtNanos = endsAtNanos;
    }

    /** @return a deadline {@code limit} from now */
    public static PlanningDeadline in(Duration limit) {
        return new PlanningDeadline(limit, System.nanoTime() + limit.toNanos());
    }

    /** @throws PlanningTimedOut when the deadline has passed */
    public void check() {
        if (System.nanoTime() - endsAtNanos > 0) {
            throw timedOut(limit);
        }
    }

    /** @return the failure of a planning that took longer than {@code limit} */
    static PlanningTimedOut timedOut(Duration limit) {
        return new PlanningTimedOut("planning took longer than " + limit.toString().substring(2).toLowerCase()
                + " (drep.scanner.job-limits.planning-timeout); split the change or raise the limit");
    }

    /** Planning ran over its time limit. */
    public static final class PlanningTimedOut extends RuntimeException {
        PlanningTimedOut(String message) {
            super(message);
        }
    }
}
