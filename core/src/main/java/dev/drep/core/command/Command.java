package dev.drep.core.command;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands people give drep in pull request comments ({@code /drep <command>}).
 */
public enum Command {
    /** a full review of the pull request's head, ignoring the analysis caches */
    REVIEW("review", "a full review of the pull request's head, every file analysed again (no cached analysis)"),
    /** the walkthrough of the pull request's head written into its description, between drep's markers */
    DESCRIBE("describe", "the walkthrough of the pull request (what it changes, file by file) written into its "
            + "description, between drep's markers"),
    /** no automatic review of this pull request on push until {@code /drep resume} */
    PAUSE("pause", "no automatic reviews of this pull request on push until `/drep resume`"),
    /** automatic reviews of this pull request on push again */
    RESUME("resume", "automatic reviews of this pull request on push again"),
    /** a question about the change, answered from the diff and the thread ({@code /drep ask <question>}) */
    ASK("ask", "answers a question about the change from its diff and this thread: `/drep ask <question>`"),
    /** the list of commands */
    HELP("help", "this list"),
    /** a word after {@code /drep} that is none of the above */
    UNKNOWN("", "");

    private final String word;
    private final String description;

    Command(String word, String description) {
        this.word = word;
        this.description = description;
    }

    /** @return the word that names the command after {@code /drep}; empty for {@link #UNKNOWN} */
    public String word() {
        return word;
    }

    /** @return one line saying what the command does, for {@code /drep help} */
    public String description() {
        return description;
    }

    /** @return the command {@code word} names (case-insensitive), or empty */
    public static Optional<Command> named(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c != UNKNOWN && c.word.equals(lower)).findFirst();
    }
}
