package dev.drep.paths;

import java.util.Arrays;

/**
 * An immutable set of Unicode code points stored as sorted, disjoint, non-adjacent inclusive ranges.
 * Every character test of a compiled pattern is one of these, so automata can split the code point space
 * into a small number of classes that no pattern distinguishes.
 */
final class CharSet {

    static final int MAX_CODE_POINT = Character.MAX_CODE_POINT;
    static final CharSet EMPTY = new CharSet(new int[0]);
    static final CharSet ALL = new CharSet(new int[] {0, MAX_CODE_POINT});
    static final CharSet NON_SLASH = ALL.minus('/');
    static final CharSet SLASH = of('/');

    /** Pairs {@code lo0, hi0, lo1, hi1, ...}; sorted, disjoint and merged so equal sets are equal arrays. */
    private final int[] ranges;
    private final int hash;

    private CharSet(int[] ranges) {
        this.ranges = ranges;
        // Arrays.hashCode of {c, c} is 961 + 32c: every single-character set would share its low five bits,
        // and the hash maps keyed by sets would degrade into trees.
        int h = Arrays.hashCode(ranges) * 0x9E3779B9;
        this.hash = h ^ (h >>> 16);
    }

    static CharSet of(int codePoint) {
        return new CharSet(new int[] {codePoint, codePoint});
    }

    static CharSet range(int lo, int hi) {
        return lo > hi ? EMPTY : new CharSet(new int[] {lo, hi});
    }

    boolean contains(int codePoint) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (codePoint < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (codePoint > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return ranges.length == 0;
    }

    int rangeCount() {
        return ranges.length / 2;
    }

    int rangeStart(int i) {
        return ranges[2 * i];
    }

    int rangeEnd(int i) {
        return ranges[2 * i + 1];
    }

    CharSet union(CharSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Builder b = new Builder();
        b.addAll(this);
        b.addAll(other);
        return b.build();
    }

    CharSet complement() {
        Builder b = new Builder();
        int next = 0;
        for (int i = 0; i < rangeCount(); i++) {
            if (rangeStart(i) > next) {
                b.add(next, rangeStart(i) - 1);
            }
            next = rangeEnd(i) + 1;
        }
        if (next <= MAX_CODE_POINT) {
            b.add(next, MAX_CODE_POINT);
        }
        return b.build();
    }

    CharSet minus(int codePoint) {
        if (!contains(codePoint)) {
            return this;
        }
        Builder b = new Builder();
        for (int i = 0; i < rangeCount(); i++) {
            int lo = rangeStart(i);
            int hi = rangeEnd(i);
            if (codePoint < lo || codePoint > hi) {
                b.add(lo, hi);
            } else {
                if (lo < codePoint) {
                    b.add(lo, codePoint - 1);
                }
                if (codePoint < hi) {
                    b.add(codePoint + 1, hi);
                }
            }
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharSet other && hash == other.hash && Arrays.equals(ranges, other.ranges);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rangeCount(); i++) {
            sb.append(String.format("%X", rangeStart(i)));
            if (rangeEnd(i) != rangeStart(i)) {
                sb.append('-').append(String.format("%X", rangeEnd(i)));
            }
            sb.append(i + 1 < rangeCount() ? " " : "");
        }
        return sb.append(']').toString();
    }

    /** Collects ranges in any order; {@link #build()} sorts and merges them. */
    static final class Builder {
        private int[] pending = new int[16];
        private int size;

        Builder add(int lo, int hi) {
            if (lo > hi) {
                return this;
            }
            if (size + 2 > pending.length) {
                pending = Arrays.copyOf(pending, pending.length * 2);
            }
            pending[size++] = lo;
            pending[size++] = hi;
            return this;
        }

        Builder add(int codePoint) {
            return add(codePoint, codePoint);
        }

        Builder addAll(CharSet set) {
            for (int i = 0; i < set.rangeCount(); i++) {
                add(set.rangeStart(i), set.rangeEnd(i));
            }
            return this;
        }

        CharSet build() {
            int n = size / 2;
            if (n == 0) {
                return EMPTY;
            }
            long[] packed = new long[n];
            for (int i = 0; i < n; i++) {
                packed[i] = ((long) pending[2 * i] << 32) | (pending[2 * i + 1] & 0xFFFFFFFFL);
            }
            Arrays.sort(packed);
            int[] out = new int[2 * n];
            int m = 0;
            for (long p : packed) {
                int lo = (int) (p >>> 32);
                int hi = (int) p;
                if (m > 0 && lo <= out[m - 1] + 1) {
                    out[m - 1] = Math.max(out[m - 1], hi);
                } else {
                    out[m++] = lo;
                    out[m++] = hi;
                }
            }
            return new CharSet(Arrays.copyOf(out, m));
        }
    }
}
