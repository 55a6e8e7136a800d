package dev.drep.core.git;

/** A repository or revision that cannot be used, with a message naming it and what to do. */
public class RepositoryProblem extends RuntimeException {
    public RepositoryProblem(String message) {
        super(message);
    }

    public RepositoryProblem(String message, Throwable cause) {
        super(message, cause);
    }
}
