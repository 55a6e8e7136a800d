package dev.drep.contracts;

import java.util.Locale;

/** How serious a finding is. Ordered from least to most severe. */
public enum Severity {
    INFO, WARNING, ERROR;

    /** @return true when this severity is the same as or more severe than {@code threshold} */
    public boolean atLeast(Severity threshold) {
        return compareTo(threshold) >= 0;
    }

    /** Parses {@code info}, {@code warning} or {@code error}, ignoring case; names the valid values otherwise. */
    public static Severity parse(String text) {
        if (text != null) {
            for (Severity s : values()) {
                if (s.name().equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown severity '" + text + "': expected one of info, warning, error");
    }

    /** @return the lower-case name used in files and on the command line */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
