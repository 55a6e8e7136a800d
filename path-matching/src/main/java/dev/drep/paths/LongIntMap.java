package dev.drep.paths;

/**
 * An open-addressing map from {@code long} keys to non-negative {@code int} values, for the automaton code's
 * hot lookups (trie edges, visited product states) where boxed maps cost more than the work itself.
 */
final class LongIntMap {

    private long[] keys;
    /** Value plus one; 0 marks an empty slot. */
    private int[] values;
    private int size;

    /** @param capacity initial number of slots, a power of two */
    LongIntMap(int capacity) {
        keys = new long[capacity];
        values = new int[capacity];
    }

    int get(long key, int absent) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (values[i] == 0) {
                return absent;
            }
            if (keys[i] == key) {
                return values[i] - 1;
            }
        }
    }

    /** Stores the value unless the key is present; returns whether it was added. */
    boolean putIfAbsent(long key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != 0) {
            if (keys[i] == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value + 1;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldValues.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] != 0) {
                int i = slot(oldKeys[j], mask);
                while (values[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
