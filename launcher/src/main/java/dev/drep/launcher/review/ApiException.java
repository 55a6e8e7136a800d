package dev.drep.launcher.review;

import dev.drep.launcher.LauncherException;

/** The scanner's API refused a request, answered with an error, or could not be reached. */
public final class ApiException extends LauncherException {
    private final int status;

    /**
     * @param message for a person
     * @param status  the HTTP status, or 0 when no answer came
     */
    public ApiException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** @return the HTTP status, or 0 when the scanner could not be reached */
    public int status() {
        return status;
    }
}
