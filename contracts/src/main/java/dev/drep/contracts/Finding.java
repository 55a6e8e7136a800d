package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One problem an analyzer found.
 *
 * @param rule       stable rule id, e.g. {@code md.trailing-whitespace}
 * @param path       repository-relative path with {@code /} separators
 * @param line       1-based line number in the new (head) version of the file
 * @param severity   how serious it is
 * @param message    what is wrong, for a person
 * @param suggestion replacement text for the line, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Finding(String rule, String path, int line, Severity severity, String message, String suggestion) {
    public Finding {
        if (rule == null || rule.isBlank()) {
            throw new IllegalArgumentException("finding needs a rule id");
        }
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("finding needs a path");
        }
        if (severity == null) {
            throw new IllegalArgumentException("finding needs a severity");
        }
    }
}
