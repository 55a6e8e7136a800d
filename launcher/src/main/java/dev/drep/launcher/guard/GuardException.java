package dev.drep.launcher.guard;

/** The guard could not do its check (not a git repository, unreadable hook input); the hook exits with 2. */
final class GuardException extends Exception {
    private static final long serialVersionUID = 1L;

    GuardException(String message) {
        super(message);
    }

    GuardException(String message, Throwable cause) {
        super(message, cause);
    }
}
