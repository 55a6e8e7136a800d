package dev.drep.core.time;

import java.time.Duration;

/** Durations as people write them in configuration and read them in messages: {@code 30m}, {@code 1m30s}, {@code 500ms}. */
public final class Durations {
    private Durations() {
    }

    /** @return e.g. {@code 30m}, {@code 2h}, {@code 1m30s}, {@code 45s}, {@code 500ms}; whole parts only below a second */
    public static String describe(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return "0s";
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        int seconds = duration.toSecondsPart();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (seconds > 0) {
            text.append(seconds).append('s');
        }
        return text.toString();
    }
}
