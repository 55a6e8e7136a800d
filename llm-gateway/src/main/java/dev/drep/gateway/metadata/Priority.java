package dev.drep.gateway.metadata;

import java.util.Locale;
import java.util.Optional;

/**
 * How urgently a caller needs an answer: someone waiting ({@code interactive}) or background work
 * ({@code batch}). Waiting interactive requests are admitted before batch ones.
 */
public enum Priority {
    /** A person is waiting for the answer (e.g. {@code drep check} on a laptop). */
    INTERACTIVE,
    /** Background work such as repository scans; the default. */
    BATCH;

    /** @return the wire value, {@code interactive} or {@code batch} */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param value a header value, case-insensitive
     * @return the priority, or empty when the value is neither {@code interactive} nor {@code batch}
     */
    public static Optional<Priority> parse(String value) {
        for (Priority priority : values()) {
            if (priority.wireValue().equalsIgnoreCase(value.trim())) {
                return Optional.of(priority);
            }
        }
        return Optional.empty();
    }
}
