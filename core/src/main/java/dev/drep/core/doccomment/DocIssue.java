package dev.drep.core.doccomment;

/**
 * A public declaration whose documentation is missing or poor.
 *
 * @param declaration the declaration
 * @param missing     true: no documentation comment; false: a poor one
 * @param detail      for a poor comment, what is wrong with it (e.g. {@code a placeholder (TODO)})
 */
public record DocIssue(Declaration declaration, boolean missing, String detail) {
}
