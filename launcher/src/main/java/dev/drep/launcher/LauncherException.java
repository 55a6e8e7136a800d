package dev.drep.launcher;

import java.util.List;

/**
 * A problem that stops a command, with a message for a person that names the problem and what to do.
 * The command prints the message (and the {@link #details()} lines, e.g. a service's log tail) and
 * exits with {@link ExitCodes#NOT_DONE}.
 */
public class LauncherException extends Exception {
    private final List<String> details;

    public LauncherException(String message) {
        this(message, List.of(), null);
    }

    public LauncherException(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    public LauncherException(String message, List<String> details, Throwable cause) {
        super(message, cause);
        this.details = List.copyOf(details);
    }

    /** @return extra lines printed after the message, such as the end of a service's log */
    public List<String> details() {
        return details;
    }
}
