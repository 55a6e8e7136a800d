package dev.drep.publisher.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Reads a paged list ({@code ?page=N}) the same way on every platform: stop at an empty or short page,
 * at a page that brings nothing new (a server that ignores the page parameter), or after the
 * configured number of pages.
 */
public final class Pager {
    private Pager() {
    }

    /**
     * @param page     fetches page N (1-based) as a JSON array
     * @param perPage  the page size asked for
     * @param maxPages pages read at most
     * @return the items of every page read, in order
     */
    public static List<JsonNode> all(IntFunction<JsonNode> page, int perPage, int maxPages) {
        List<JsonNode> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int n = 1; n <= maxPages; n++) {
            JsonNode array = page.apply(n);
            if (array == null || !array.isArray() || array.isEmpty()) {
                break;
            }
            boolean anyNew = false;
            for (JsonNode item : array) {
                String key = item.has("id") ? item.get("id").asText() : item.toString();
                if (seen.add(key)) {
                    items.add(item);
                    anyNew = true;
                }
            }
            if (!anyNew || array.size() < perPage) {
                break;
            }
        }
        return items;
    }
}
