package dev.drep.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One problem an analyzer found.
 *
 * @param rule       stable rule id, e.g. {@code md.trailing-whitespace}
 * @param path       repository-relative path with {@code /} separators
 * @param line       1-based line number in the new (head) version of the file; where the finding is anchored
 * @param endLine    the last line (1-based, head version) of the range the finding covers and its suggestion
 *                   replaces: the suggestion replaces lines {@code line..endLine} as a whole. Equal to
 *                   {@code line} for a finding on one line (and for a whole-file finding, line &lt; 1). 0 is read
 *                   as {@code line}, so JSON without {@code endLine} (written before ranges existed) and the
 *                   constructors without it give a one-line finding; a value below {@code line} is refused.
 * @param severity   how serious it is
 * @param message    what is wrong, for a person
 * @param suggestion replacement text for the lines {@code line..endLine} (without a final line break), or null
 * @param lineText   the text of line {@code line} at head (trailing line break removed), filled in by the analyzer
 *                   service for findings on a line; with the rule and path it identifies the finding across pushes,
 *                   so a reworded message on the same code is the same finding. Null for whole-file findings.
 * @param confidence how sure the verifier is that the finding is right, from 0 to 1 (its answer for a finding it
 *                   confirmed or left unconfirmed); null for a finding no verifier looked at (deterministic
 *                   analyzers, {@code verify: off}, results written before the verifier existed). Not part of the
 *                   finding's identity.
 * @param model      what produced the finding: the model the LLM gateway named in its answer to the call the finding
 *                   came from (the alias of the gateway's route that served it, after task-class routing and
 *                   fallbacks),
 *                   for the acceptance rate per model (docs/architecture.md, "Learning from feedback"); null for
 *                   deterministic analyzers and for findings written before models were recorded. Not part of the
 *                   finding's identity.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Finding(String rule, String path, int line, int endLine, Severity severity, String message,
        String suggestion, String lineText, Double confidence, String model) {
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
        if (endLine == 0) {
            endLine = line;
        } else if (endLine < line) {
            throw new IllegalArgumentException("finding's range ends (line " + endLine + ") before it starts (line "
                    + line + ")");
        }
        if (confidence != null && !(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("finding's confidence must be from 0 to 1, got " + confidence);
        }
        if (model != null && model.isBlank()) {
            model = null;
        }
    }

    /** A finding without a recorded model (deterministic analyzers; the model is added by the LLM engine). */
    public Finding(String rule, String path, int line, int endLine, Severity severity, String message,
            String suggestion, String lineText, Double confidence) {
        this(rule, path, line, endLine, severity, message, suggestion, lineText, confidence, null);
    }

    /** A finding no verifier looked at. */
    public Finding(String rule, String path, int line, int endLine, Severity severity, String message,
            String suggestion, String lineText) {
        this(rule, path, line, endLine, severity, message, suggestion, lineText, null);
    }

    /** A finding on one line. */
    public Finding(String rule, String path, int line, Severity severity, String message, String suggestion,
            String lineText) {
        this(rule, path, line, line, severity, message, suggestion, lineText);
    }

    /** A finding on one line whose line text is not known (yet). */
    public Finding(String rule, String path, int line, Severity severity, String message, String suggestion) {
        this(rule, path, line, line, severity, message, suggestion, null);
    }

    /** @return this finding with the text of its line */
    public Finding withLineText(String text) {
        return new Finding(rule, path, line, endLine, severity, message, suggestion, text, confidence, model);
    }

    /** @return this finding covering lines {@code line..last} (0: only its own line) */
    public Finding withEndLine(int last) {
        return new Finding(rule, path, line, last, severity, message, suggestion, lineText, confidence, model);
    }

    /** @return this finding with the verifier's confidence (null: not verified) */
    public Finding withConfidence(Double value) {
        return new Finding(rule, path, line, endLine, severity, message, suggestion, lineText, value, model);
    }

    /** @return this finding with another message (e.g. made safe to post), everything else kept */
    public Finding withMessage(String text) {
        return new Finding(rule, path, line, endLine, severity, text, suggestion, lineText, confidence, model);
    }

    /** @return this finding produced by {@code name} (null: no model) */
    public Finding withModel(String name) {
        return new Finding(rule, path, line, endLine, severity, message, suggestion, lineText, confidence, name);
    }

    /** @return true when the finding (and its suggestion) covers more than one line */
    public boolean multiLine() {
        return endLine > line;
    }

    /** @return where the finding is, for people: {@code path}, {@code path:line} or {@code path:line-endLine} */
    public String location() {
        if (line < 1) {
            return path;
        }
        return path + ":" + line + (multiLine() ? "-" + endLine : "");
    }
}
