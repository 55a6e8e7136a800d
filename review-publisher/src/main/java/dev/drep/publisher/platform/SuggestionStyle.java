package dev.drep.publisher.platform;

/** How a platform shows a suggested replacement of the commented line. */
public enum SuggestionStyle {
    /** GitHub: a {@code suggestion} fenced block replaces the commented line ("Commit suggestion") */
    GITHUB,
    /** GitLab: {@code suggestion:-0+0} replaces exactly the commented line */
    GITLAB,
    /** no suggestion feature (Gitea): a plain code block labelled as the suggested replacement */
    PLAIN
}
