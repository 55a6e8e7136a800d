package dev.drep.contracts;

/**
 * A file (or part of one) that was not analysed, and why. Always shown in the review's summary:
 * drep never passes silently over what it could not look at.
 *
 * @param path   repository-relative path
 * @param reason for a person, e.g. {@code binary file}
 */
public record NotAnalyzed(String path, String reason) {
}
