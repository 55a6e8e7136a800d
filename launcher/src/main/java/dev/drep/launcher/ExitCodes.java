package dev.drep.launcher;

/**
 * The exit codes of every drep command, the same as the original drep's {@code check}: scripts and
 * CI jobs depend on them.
 */
public final class ExitCodes {
    /** Done, and nothing at or above the {@code --fail-on} threshold. */
    public static final int OK = 0;
    /** Done, and something at or above the threshold was found (or, for status: not running). */
    public static final int FINDINGS = 1;
    /** Could not be done: bad arguments, a service that did not start, a failed job, an API error, a timeout. */
    public static final int NOT_DONE = 2;

    private ExitCodes() {
    }
}
