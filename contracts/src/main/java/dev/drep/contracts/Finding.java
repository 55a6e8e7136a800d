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
 * @param lineText   the text of the line at head (trailing line break removed), filled in by the analyzer service
 *                   for findings on a line; with the rule and path it identifies the finding across pushes, so a
 *                   reworded message on the same code is the same finding. Null for whole-file findings.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Finding(String rule, String path, int line, Severity severity, String message, String suggestion,
        String lineText) {
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

    /** A finding whose line text is not known (yet). */
    public Finding(String rule, String path, int line, Severity severity, String message, String suggestion) {
        this(rule, path, line, severity, message, suggestion, null);
    }

    /** @return this finding with the text of its line */
    public Finding withLineText(String text) {
        return new Finding(rule, path, line, severity, message, suggestion, text);
    }
}
