package dev.drep.gateway.resilience;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads how long a provider wants the gateway to wait from its response headers:
 * {@code Retry-After} (seconds or an HTTP date), {@code retry-after-ms} (OpenAI, Azure), and
 * OpenAI's {@code x-ratelimit-remaining-requests}/{@code -tokens} with their
 * {@code x-ratelimit-reset-requests}/{@code -tokens} (durations such as {@code 1s},
 * {@code 6m0s}, {@code 120ms}): a remaining count of 0 means "wait until the reset".
 */
public final class RateLimitHeaders {

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private RateLimitHeaders() {
    }

    /**
     * @param header the value of a response header by (case-insensitive) name, or {@code null}
     * @param now    the current time, for {@code Retry-After} dates
     * @return the longest wait the headers ask for, if any
     */
    public static Optional<Duration> requestedWait(Function<String, String> header, Instant now) {
        Duration wait = null;
        wait = longer(wait, millis(header.apply("retry-after-ms")));
        wait = longer(wait, retryAfter(header.apply("retry-after"), now));
        if (exhausted(header.apply("x-ratelimit-remaining-requests"))) {
            wait = longer(wait, resetDuration(header.apply("x-ratelimit-reset-requests")));
        }
        if (exhausted(header.apply("x-ratelimit-remaining-tokens"))) {
            wait = longer(wait, resetDuration(header.apply("x-ratelimit-reset-tokens")));
        }
        return Optional.ofNullable(wait);
    }

    private static Duration longer(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    private static boolean exhausted(String remaining) {
        if (remaining == null) {
            return false;
        }
        try {
            return Long.parseLong(remaining.trim()) <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Duration millis(String value) {
        if (value == null) {
            return null;
        }
        try {
            double ms = Double.parseDouble(value.trim());
            return ms >= 0 ? Duration.ofNanos((long) (ms * 1_000_000)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * @param value {@code Retry-After}: delay seconds or an IMF-fixdate
     * @param now   the current time
     * @return the delay, or {@code null} when the value is absent or unreadable
     */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            double seconds = Double.parseDouble(trimmed);
            return seconds >= 0 ? Duration.ofMillis((long) (seconds * 1000)) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration until = Duration.between(now, at);
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /**
     * @param value e.g. {@code 1s}, {@code 6m0s}, {@code 1h2m3.5s}, {@code 250ms} or plain seconds
     * @return the duration, or {@code null} when unreadable
     */
    static Duration resetDuration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            return Duration.ofMillis((long) (Double.parseDouble(text) * 1000));
        } catch (NumberFormatException notPlainSeconds) {
            Matcher m = DURATION_PART.matcher(text);
            double nanos = 0;
            int end = 0;
            while (m.find()) {
                if (m.start() != end) {
                    return null;
                }
                end = m.end();
                double amount = Double.parseDouble(m.group(1));
                nanos += amount * switch (m.group(2)) {
                    case "h" -> 3_600e9;
                    case "m" -> 60e9;
                    case "s" -> 1e9;
                    default -> 1e6;
                };
            }
            return end == text.length() && end > 0 ? Duration.ofNanos((long) nanos) : null;
        }
    }
}
