package dev.drep.publisher.platform;

/**
 * How a platform shows a suggested replacement of the commented line, or of the commented lines
 * {@code line..endLine} of a finding covering several.
 */
public enum SuggestionStyle {
    /**
     * GitHub: a {@code suggestion} fenced block replaces the commented line(s) ("Commit suggestion"); the
     * range is the comment's own: {@code start_line} to {@code line}
     */
    GITHUB,
    /**
     * GitLab: {@code suggestion:-0+N} replaces the commented line and the N lines below it, so a comment on
     * the range's first line with N = endLine - line replaces exactly the range ({@code -0+0}: the line alone)
     */
    GITLAB,
    /**
     * no suggestion feature (Gitea): a plain code block labelled as the suggested replacement, naming the
     * lines it replaces when there are several
     */
    PLAIN
}
