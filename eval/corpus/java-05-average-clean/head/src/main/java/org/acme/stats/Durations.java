package org.acme.stats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public final class Durations {
    private final List<Duration> recorded = new ArrayList<>();

    public void record(Duration duration) {
        recorded.add(duration);
    }

    /** The mean of the recorded durations, or zero when none was recorded. */
    public Duration average() {
        if (recorded.isEmpty()) {
            return Duration.ZERO;
        }
        Duration total = Duration.ZERO;
        for (Duration duration : recorded) {
            total = total.plus(duration);
        }
        return total.dividedBy(recorded.size());
    }
}
