package dev.drep.scanner.platform;

/**
 * A platform API call that failed; the message is safe to show (it never holds a token).
 *
 * @see #notFound()
 */
public class PlatformProblem extends RuntimeException {
    private final boolean notFound;

    public PlatformProblem(String message, boolean notFound) {
        super(message);
        this.notFound = notFound;
    }

    /** @return true when the platform answered 404 (no such pull request, or the token cannot see it) */
    public boolean notFound() {
        return notFound;
    }
}
