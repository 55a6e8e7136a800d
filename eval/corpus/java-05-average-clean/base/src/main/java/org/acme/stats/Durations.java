package org.acme.stats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public final class Durations {
    private final List<Duration> recorded = new ArrayList<>();

    public void record(Duration duration) {
        recorded.add(duration);
    }
}
