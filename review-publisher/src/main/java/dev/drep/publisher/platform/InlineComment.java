package dev.drep.publisher.platform;

/**
 * An inline comment to post on a line, or a range of lines, of the head version of a file.
 *
 * @param fingerprint the finding's fingerprint (also in the body as a hidden marker)
 * @param path        repository-relative path at head
 * @param line        1-based line at head: the comment's first line
 * @param endLine     the comment's last line, equal to {@code line} for a comment on one line (lower values,
 *                    e.g. 0, are read as {@code line}); a suggestion in the body replaces {@code line..endLine}
 * @param body        markdown, already within the platform's length limit
 * @param oldPath     the file's path at base: its old name when the pull request renamed it, else {@code path}
 */
public record InlineComment(String fingerprint, String path, int line, int endLine, String body, String oldPath) {
    public InlineComment {
        oldPath = oldPath == null ? path : oldPath;
        endLine = Math.max(endLine, line);
    }

    /** A comment on one line. */
    public InlineComment(String fingerprint, String path, int line, String body, String oldPath) {
        this(fingerprint, path, line, line, body, oldPath);
    }

    /** A comment on one line of a file that was not renamed. */
    public InlineComment(String fingerprint, String path, int line, String body) {
        this(fingerprint, path, line, line, body, null);
    }

    /** @return true when the comment covers more than one line */
    public boolean multiLine() {
        return endLine > line;
    }
}
