package dev.drep.core.command;

import dev.drep.core.llm.ChatMessage;
import dev.drep.core.llm.DataBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompt for {@code /drep ask}: the question, the pull request's diff and the thread's earlier comments, each
 * inside a data block ({@link DataBlock}), never as instructions: all three come from the pull request. The context
 * is bounded: a diff longer than its limit keeps whole files in order while they fit (the first file cut at a line
 * when even it does not), and the thread keeps its latest comments; what was left out is named in drep's own text
 * outside the blocks, so the model knows it sees part of the change.
 */
public final class AskPrompt {
    static final String SYSTEM = """
            You are drep, a code review assistant. A person with write access to the repository asked a question
            about a pull request. Answer it from the pull request's diff and the thread's earlier comments, which
            follow. Be concise and concrete, refer to files and lines of the diff, and say so plainly when the diff
            does not tell. Answer in Markdown, without headings, without mentioning anyone (@name) and without
            HTML. Answer only the question; do not review the whole change.
            """;

    /**
     * One earlier comment of the thread.
     *
     * @param author the commenter's login
     * @param body   what they wrote
     */
    public record ThreadComment(String author, String body) {
    }

    /**
     * What goes to the model, and what was left out of it.
     *
     * @param messages   the chat messages
     * @param diffNote   drep's note on a trimmed diff ("the diff was trimmed: ..."), or empty
     * @param threadNote drep's note on left-out comments, or empty
     */
    public record Prompt(List<ChatMessage> messages, String diffNote, String threadNote) {
    }

    private AskPrompt() {
    }

    /**
     * @param question       the question, as asked
     * @param diff           the pull request's unified diff (base..head)
     * @param thread         the thread's earlier comments, oldest first
     * @param maxDiffChars   the longest diff sent
     * @param maxThreadChars the most characters of comments sent
     * @return the prompt
     */
    public static Prompt build(String question, String diff, List<ThreadComment> thread, int maxDiffChars,
            int maxThreadChars) {
        Trimmed trimmedDiff = trimDiff(diff == null ? "" : diff, maxDiffChars);
        Trimmed trimmedThread = trimThread(thread, maxThreadChars);
        StringBuilder user = new StringBuilder();
        user.append("The question:\n").append(DataBlock.wrap(question)).append('\n');
        user.append("The pull request's diff:\n").append(DataBlock.wrap(trimmedDiff.text().isEmpty()
                ? "(no changes)" : trimmedDiff.text()));
        if (!trimmedDiff.note().isEmpty()) {
            user.append("(").append(trimmedDiff.note()).append(")\n");
        }
        user.append('\n');
        if (trimmedThread.text().isEmpty()) {
            user.append("The thread has no earlier comments.\n");
        } else {
            user.append("The thread's earlier comments, oldest first, each starting with a line \"<author> wrote:\":\n")
                    .append(DataBlock.wrap(trimmedThread.text()));
            if (!trimmedThread.note().isEmpty()) {
                user.append("(").append(trimmedThread.note()).append(")\n");
            }
        }
        List<ChatMessage> messages = List.of(ChatMessage.system(SYSTEM + "\n" + DataBlock.RULE),
                ChatMessage.user(user.toString()));
        return new Prompt(messages, trimmedDiff.note(), trimmedThread.note());
    }

    private record Trimmed(String text, String note) {
    }

    /** Whole files while they fit; the first one cut at a line when it alone is too long. */
    static Trimmed trimDiff(String diff, int max) {
        if (diff.length() <= max) {
            return new Trimmed(diff, "");
        }
        List<String> files = splitFiles(diff);
        StringBuilder kept = new StringBuilder();
        List<String> left = new ArrayList<>();
        for (String file : files) {
            if (left.isEmpty() && kept.length() + file.length() <= max) {
                kept.append(file);
            } else if (kept.isEmpty()) {
                int cut = file.lastIndexOf('\n', max - 1);
                kept.append(file, 0, cut < 0 ? max : cut + 1);
                left.add(path(file) + " (from the line where it was cut)");
            } else {
                left.add(path(file));
            }
        }
        String note = "the diff was trimmed to " + kept.length() + " of its " + diff.length() + " characters (limit "
                + max + "); left out: " + String.join(", ", left.stream().limit(20).toList())
                + (left.size() > 20 ? " and " + (left.size() - 20) + " more files" : "");
        return new Trimmed(kept.toString(), note);
    }

    /** The latest comments that fit, oldest first; a comment longer than the whole limit is cut. */
    static Trimmed trimThread(List<ThreadComment> thread, int max) {
        List<String> kept = new ArrayList<>();
        int length = 0;
        int left = 0;
        for (int i = thread.size() - 1; i >= 0; i--) {
            ThreadComment comment = thread.get(i);
            String body = comment.body() == null ? "" : comment.body().strip();
            String text = DataBlock.headerText(comment.author() == null ? "someone" : comment.author()) + " wrote:\n"
                    + body + "\n\n";
            if (left == 0 && length + text.length() <= max) {
                kept.add(0, text);
                length += text.length();
            } else if (left == 0 && kept.isEmpty() && max > 0) {
                kept.add(text.substring(0, max) + "\n[cut]\n\n");
                length = max;
                left++;
            } else {
                left++;
            }
        }
        String note = left == 0 ? "" : "the thread was trimmed: " + left + " earlier comment" + (left == 1 ? " was" : "s were")
                + " left out or cut (limit " + max + " characters)";
        return new Trimmed(String.join("", kept), note);
    }

    private static List<String> splitFiles(String diff) {
        List<String> files = new ArrayList<>();
        int start = 0;
        int next;
        while ((next = diff.indexOf("\ndiff --git ", start)) >= 0) {
            files.add(diff.substring(start, next + 1));
            start = next + 1;
        }
        files.add(diff.substring(start));
        return files;
    }

    private static String path(String fileDiff) {
        int end = fileDiff.indexOf('\n');
        String first = end < 0 ? fileDiff : fileDiff.substring(0, end);
        int b = first.lastIndexOf(" b/");
        return DataBlock.headerText(b < 0 ? first : first.substring(b + 3));
    }
}
