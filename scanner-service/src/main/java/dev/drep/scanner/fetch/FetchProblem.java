package dev.drep.scanner.fetch;

/** A repository could not be fetched or lacks a commit a job needs; the message is safe to show (no secrets). */
public class FetchProblem extends RuntimeException {
    public FetchProblem(String message) {
        super(message);
    }
}
