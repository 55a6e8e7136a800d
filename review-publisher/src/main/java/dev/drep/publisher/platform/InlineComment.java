package dev.drep.publisher.platform;

/**
 * An inline comment to post on a line of the head version of a file.
 *
 * @param fingerprint the finding's fingerprint (also in the body as a hidden marker)
 * @param path        repository-relative path at head
 * @param line        1-based line at head
 * @param body        markdown, already within the platform's length limit
 * @param oldPath     the file's path at base: its old name when the pull request renamed it, else {@code path}
 */
public record InlineComment(String fingerprint, String path, int line, String body, String oldPath) {
    public InlineComment {
        oldPath = oldPath == null ? path : oldPath;
    }

    /** A comment on a file that was not renamed. */
    public InlineComment(String fingerprint, String path, int line, String body) {
        this(fingerprint, path, line, body, null);
    }
}
