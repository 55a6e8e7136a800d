package dev.drep.core.llm;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Prompt items that go to the model in one request.
 *
 * @param items the items, in priority order
 */
public record Batch(List<PromptItem> items) {
    public Batch {
        items = List.copyOf(items);
    }

    /** @return the estimated tokens of all items */
    public int tokens() {
        return items.stream().mapToInt(PromptItem::tokens).sum();
    }

    /** @return the files of this batch, in order */
    public Set<String> paths() {
        Set<String> paths = new LinkedHashSet<>();
        items.forEach(item -> paths.add(item.path()));
        return paths;
    }

    /** @return whether an answer may name {@code line} of {@code path} */
    public boolean answers(String path, int line) {
        for (PromptItem item : items) {
            if (item.path().equals(path) && item.answers(line)) {
                return true;
            }
        }
        return false;
    }

    /** @return the lines of {@code path} carried by its items, or null when none carries them */
    public SourceLines lines(String path) {
        for (PromptItem item : items) {
            if (item.path().equals(path) && item.lines() != null) {
                return item.lines();
            }
        }
        return null;
    }
}
