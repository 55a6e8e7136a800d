package dev.drep.launcher.review;

import dev.drep.contracts.Finding;

/**
 * Formats a finding as one line, {@code path:line: severity [rule] message}: the shape compilers use,
 * so editors and CI log viewers turn it into a link to the line.
 */
public final class FindingFormat {
    private FindingFormat() {
    }

    /**
     * @return the finding's line; a finding about the whole file (line 0 or less) omits the line number,
     *         and line breaks in the message become spaces so that every finding stays one line
     */
    public static String line(Finding finding) {
        String location = finding.line() > 0 ? finding.path() + ":" + finding.line() : finding.path();
        String message = finding.message() == null ? "" : finding.message().strip().replaceAll("\\s*\\R\\s*", " ");
        return location + ": " + finding.severity().label() + " [" + finding.rule() + "] " + message;
    }
}
