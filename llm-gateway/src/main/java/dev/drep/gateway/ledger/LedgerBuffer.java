package dev.drep.gateway.ledger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The ledger rows waiting to be written, oldest first, at most {@code capacity} of them. A batch taken and then
 * not written goes back to the front, so rows are written in the order they were recorded and none is lost while
 * the buffer has room. Thread-safe (requests record from any thread; one flush at a time takes batches).
 */
final class LedgerBuffer {
    private final int capacity;
    private final Deque<UsageRecord> rows = new ArrayDeque<>();

    LedgerBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("drep.gateway.ledger.max-buffered must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** @return whether the row was taken; false when the buffer is full (the row is not recorded) */
    synchronized boolean add(UsageRecord row) {
        if (rows.size() >= capacity) {
            return false;
        }
        rows.addLast(row);
        return true;
    }

    /** @return up to {@code max} of the oldest rows, removed from the buffer (empty when there are none) */
    synchronized List<UsageRecord> take(int max) {
        List<UsageRecord> batch = new ArrayList<>(Math.min(max, rows.size()));
        while (batch.size() < max && !rows.isEmpty()) {
            batch.add(rows.pollFirst());
        }
        return batch;
    }

    /** Puts a batch that could not be written back in front of the rows recorded since, in its order. */
    synchronized void putBack(List<UsageRecord> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            rows.addFirst(batch.get(i));
        }
    }

    /** @return rows waiting */
    synchronized int size() {
        return rows.size();
    }
}
