package dev.drep.scanner.command;

import dev.drep.core.command.Command;
import dev.drep.core.command.CommandLine;
import java.util.List;

/**
 * The text of drep's answers to commands. Pure: what the commenter wrote appears only as the command word, inside a
 * code span (no mention, link or markup of theirs is rendered).
 */
final class CommandAnswers {
    private static final int MAX_WORD = 40;

    private CommandAnswers() {
    }

    static String help(String author) {
        StringBuilder text = new StringBuilder(greeting(author)).append("drep answers these commands, each on a line of "
                + "its own at the start of a comment (not in a code block or a quote), from people with write access to "
                + "the repository:\n\n");
        for (Command command : Command.values()) {
            if (command != Command.UNKNOWN) {
                text.append("- `/drep ").append(command.word()).append("`: ").append(command.description()).append('\n');
            }
        }
        return text.toString();
    }

    static String unknown(String author, CommandLine line) {
        return greeting(author) + "`" + quoted(line) + "` is not a command drep knows. `/drep help` lists the commands.";
    }

    /** The words of {@code /drep justified}, which is a reply in a finding's thread, not a command (ThreadReplies). */
    static final List<String> JUSTIFY_WORDS = List.of("justified", "justify");

    /**
     * {@code /drep justified} where it justifies nothing: a top-level comment, or a thread that is not one of drep's
     * inline findings.
     */
    static String justifiedOutsideThread(String author, CommandLine line) {
        return greeting(author) + "`" + quoted(line) + "` marks one finding justified: write it as a reply in the thread "
                + "of drep's inline comment on that finding, with the reason (`/drep justified <why the code is "
                + "right>`). Here it justifies nothing, since this is not the thread of one of drep's findings.";
    }

    static String refused(String author, String repository, CommandLine line) {
        return greeting(author) + "only people with write access to " + repository + " can give drep commands, so `"
                + quoted(line) + "` was not run. Someone with write access can run it for you.";
    }

    static String closed(String author, int number, CommandLine line, boolean gitlab) {
        return greeting(author) + (gitlab ? "merge request !" : "pull request #") + number + " is closed: `" + quoted(line)
                + "` does nothing on a closed " + (gitlab ? "merge request" : "pull request") + ".";
    }

    static String reviewing(String author, String headSha, String jobId) {
        return greeting(author) + "reviewing `" + shortSha(headSha) + "` again: every changed file is analysed afresh, "
                + "without cached analyses. The summary comment and the status are updated when it is done (job `" + jobId
                + "`).";
    }

    static String describing(String author, String headSha, String jobId, boolean gitlab) {
        return greeting(author) + "writing the walkthrough of `" + shortSha(headSha) + "` into the "
                + (gitlab ? "merge request's" : "pull request's") + " description, between drep's markers (what you "
                + "wrote outside them stays as it is); files not reviewed yet are reviewed with it (job `" + jobId + "`).";
    }

    static String paused(String author, boolean already) {
        return greeting(author) + (already ? "automatic reviews of this pull request were paused already."
                : "automatic reviews of this pull request are paused: pushes are not reviewed until `/drep resume`.")
                + " `/drep review` still reviews on request.";
    }

    static String resumed(String author, boolean wasPaused) {
        return greeting(author) + (wasPaused ? "automatic reviews of this pull request are on again: the next push is "
                + "reviewed." : "automatic reviews of this pull request were not paused; nothing changed.");
    }

    /** @return {@code answer} with a note naming the commands of the comment after its first, which were not run */
    static String withIgnored(String answer, List<CommandLine> others) {
        if (others.isEmpty()) {
            return answer;
        }
        StringBuilder text = new StringBuilder(answer).append("\n\ndrep runs one command per comment; not run: ");
        for (int i = 0; i < others.size(); i++) {
            text.append(i == 0 ? "" : ", ").append('`').append(quoted(others.get(i))).append('`');
        }
        return text.append('.').toString();
    }

    private static String greeting(String author) {
        return "@" + author + ", ";
    }

    private static String quoted(CommandLine line) {
        String word = line.word().replace("`", "'");
        return "/drep " + (word.length() > MAX_WORD ? word.substring(0, MAX_WORD) + "…" : word);
    }

    private static String shortSha(String sha) {
        return sha == null ? "?" : sha.substring(0, Math.min(12, sha.length()));
    }
}
