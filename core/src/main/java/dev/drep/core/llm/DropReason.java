package dev.drep.core.llm;

import java.util.Locale;

/**
 * Why a finding the model wrote was dropped before it left the analyzer. The {@link #tag()} is the
 * {@code reason} of the {@code drep_analyzer_findings_dropped_total} metric and the key of
 * {@code UnitResult.droppedFindings}; the {@link #label()} is what the review's summary says.
 */
public enum DropReason {
    /** The entry is not an object or lacks a usable line number, severity, category or message. */
    MALFORMED("malformed entry"),
    /** The path names no file of the request. */
    PATH_NOT_IN_REQUEST("path not in the request"),
    /** The line is beyond the end of the file. */
    LINE_NOT_IN_FILE("line not in the file"),
    /** The line (after grounding) was not shown to the model. */
    LINE_NOT_SHOWN("line not shown to the model"),
    /** The finding quotes no code. */
    NO_QUOTE("no quote of the code"),
    /** The quoted code is neither on the named line nor within {@link Grounding#WINDOW} lines of it. */
    QUOTE_NOT_FOUND("quoted code not found"),
    /** The suggestion would not apply cleanly to the lines it replaces ({@link Grounding#suggestionProblem}). */
    SUGGESTION_DOES_NOT_APPLY("suggestion does not apply"),
    /** More findings for one file than {@code drep.analyzer.llm.max-findings-per-file}; the least severe are dropped. */
    OVER_FILE_LIMIT("over the per-file limit"),
    /** The verifier ({@link FindingVerifier}) refuted the finding. */
    REFUTED("refuted by the verifier"),
    /** The verifier did not confirm the finding (no answer for it, or too little confidence) and {@code verify: drop}. */
    UNCONFIRMED("not confirmed by the verifier");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** @return the metric tag and result key, e.g. {@code quote_not_found} */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the reason for people, e.g. {@code quoted code not found} */
    public String label() {
        return label;
    }

    /** @return the label of a known tag, or the tag with spaces for one this version does not know */
    public static String labelOf(String tag) {
        for (DropReason reason : values()) {
            if (reason.tag().equals(tag)) {
                return reason.label;
            }
        }
        return tag.replace('_', ' ');
    }
}
