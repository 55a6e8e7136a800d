package dev.drep.core.llm;

import dev.drep.contracts.LineRange;
import java.util.List;

/**
 * One section of a prompt about one file: a chunk of hunks to review, or a declaration to document.
 *
 * @param path       the file
 * @param section    the prompt text of this item
 * @param tokens     estimated tokens of {@code section}
 * @param answerable the lines an answer may name for this item (the lines shown, or the declaration's line)
 * @param span       first and last line the item covers, for messages about a part of a file
 * @param lines      the whole file at head, for grounding the answer's findings ({@link Grounding}); null when
 *                   the task does not ground (its findings do not come from the model)
 */
public record PromptItem(String path, String section, int tokens, List<LineRange> answerable, LineRange span,
        SourceLines lines) {
    public PromptItem {
        answerable = List.copyOf(answerable);
    }

    /** An item whose answers are not grounded against the file's lines. */
    public PromptItem(String path, String section, int tokens, List<LineRange> answerable, LineRange span) {
        this(path, section, tokens, answerable, span, null);
    }

    /** @return whether an answer may name {@code line} for this item */
    public boolean answers(int line) {
        for (LineRange range : answerable) {
            if (range.contains(line)) {
                return true;
            }
        }
        return false;
    }
}
