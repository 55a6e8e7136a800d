package dev.drep.contracts;

/**
 * The body of every error answer of drep's REST APIs.
 *
 * @param error   a stable machine-readable code, e.g. {@code invalid_request}
 * @param message for a person: names the input at fault and what to do
 */
public record ErrorBody(String error, String message) {
}
