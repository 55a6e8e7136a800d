package dev.drep.scanner.dashboard;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the dashboard writes times, durations, money and counts: always in UTC and with a dot for decimals. */
final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** @return e.g. {@code 2025-03-01 14:02:07}, or an empty string */
    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** @return e.g. {@code 850 ms}, {@code 12.4 s}, {@code 3 min 05 s}, {@code 2 h 07 min} */
    static String duration(long millis) {
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }

    /** @return the cost with four decimals, as {@code drep review --profile} prints it */
    static String cost(BigDecimal cost) {
        return (cost == null ? BigDecimal.ZERO : cost).setScale(4, RoundingMode.HALF_UP).toPlainString();
    }

    /** @return e.g. {@code 12,345} */
    static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** @return e.g. {@code 37.5 %} */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }
}
