package dev.drep.core.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs prompt items into as few requests as the token budget allows. First fit in the given
 * order: the order is the review priority, so the most important items land in the first batches
 * (which are reserved and sent first), and small items fill the gaps of earlier batches.
 */
public final class BatchPacker {
    private BatchPacker() {
    }

    /**
     * @param items    the items in priority order
     * @param budget   estimated prompt tokens per request (an item larger than this gets a request of its own)
     * @param maxItems items per request at most, so that one answer stays short enough to be complete
     * @return the batches, in the order of their first item
     */
    public static List<Batch> pack(List<PromptItem> items, int budget, int maxItems) {
        List<List<PromptItem>> open = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        for (PromptItem item : items) {
            int target = -1;
            for (int b = 0; b < open.size(); b++) {
                if (open.get(b).size() < maxItems && used.get(b) + item.tokens() <= budget) {
                    target = b;
                    break;
                }
            }
            if (target < 0) {
                open.add(new ArrayList<>());
                used.add(0);
                target = open.size() - 1;
            }
            open.get(target).add(item);
            used.set(target, used.get(target) + item.tokens());
        }
        return open.stream().map(Batch::new).toList();
    }
}
