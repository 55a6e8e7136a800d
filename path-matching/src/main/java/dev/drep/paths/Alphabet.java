package dev.drep.paths;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The code point space split into atoms: maximal groups of code points that no given set tells apart.
 * Automata step on atoms, so a DFA state needs one transition per atom instead of one per character.
 *
 * <p>NUL, {@code .}, {@code /} and {@code \} always get atoms of their own: the valid-path automaton used
 * by the overlap and "matches everything" analyses needs them even when no pattern mentions them.
 */
final class Alphabet {

    /** The atom's characters may appear anywhere in a path segment. */
    static final byte PATH_OTHER = 0;
    /** The atom is the separator. */
    static final byte PATH_SLASH = 1;
    /** The atom is {@code .}, which matters because {@code .} and {@code ..} are not path segments. */
    static final byte PATH_DOT = 2;
    /** NUL or backslash: never part of a normalized path. */
    static final byte PATH_FORBIDDEN = 3;

    private static final int[] SPECIALS = {0, '.', '/', '\\'};
    /** Witness characters in order of preference, so reported common paths read naturally. */
    private static final String PREFERRED =
            "abcdefghijklmnopqrstuvwxyz0123456789_-ABCDEFGHIJKLMNOPQRSTUVWXYZ.~+=,@%!#$&'()[]{};^`| ";

    final int size;
    final int slashAtom;
    private final int[] ascii = new int[128];
    private final int[] starts;
    private final int[] intervalAtom;
    private final int[] representative;
    private final int[] rank;
    private final byte[] pathClass;

    private Alphabet(int[] starts, int[] intervalAtom, int size) {
        this.starts = starts;
        this.intervalAtom = intervalAtom;
        this.size = size;
        for (int c = 0; c < 128; c++) {
            ascii[c] = intervalAtom[interval(c)];
        }
        this.slashAtom = ascii['/'];
        this.representative = new int[size];
        this.rank = new int[size];
        Arrays.fill(representative, -1);
        for (int i = 0; i < PREFERRED.length(); i++) {
            int atom = ascii[PREFERRED.charAt(i)];
            if (representative[atom] < 0) {
                representative[atom] = PREFERRED.charAt(i);
                rank[atom] = i;
            }
        }
        for (int k = 0; k < starts.length; k++) {
            int atom = intervalAtom[k];
            if (representative[atom] < 0) {
                int end = k + 1 < starts.length ? starts[k + 1] - 1 : CharSet.MAX_CODE_POINT;
                int candidate = pleasant(starts[k], end);
                if (candidate >= 0) {
                    representative[atom] = candidate;
                    rank[atom] = PREFERRED.length() + 1 + (candidate < 0x80 ? 0 : 1);
                }
            }
        }
        for (int atom = 0; atom < size; atom++) {
            if (representative[atom] < 0) {
                representative[atom] = firstCodePoint(atom);
                rank[atom] = PREFERRED.length() + 10;
            }
        }
        this.pathClass = new byte[size];
        pathClass[ascii['/']] = PATH_SLASH;
        pathClass[ascii['.']] = PATH_DOT;
        pathClass[ascii['\\']] = PATH_FORBIDDEN;
        pathClass[ascii[0]] = PATH_FORBIDDEN;
    }

    /** Splits the code point space so that every set in {@code sets} is a union of atoms. */
    static Alphabet of(Collection<CharSet> sets) {
        int[] bounds = collectBounds(sets);
        int intervals = bounds.length;
        int words = (sets.size() + SPECIALS.length + 63) >>> 6;
        long[][] signature = new long[intervals][words];
        int j = 0;
        for (CharSet set : sets) {
            for (int r = 0; r < set.rangeCount(); r++) {
                int from = Arrays.binarySearch(bounds, set.rangeStart(r));
                int to = set.rangeEnd(r) == CharSet.MAX_CODE_POINT
                        ? intervals
                        : Arrays.binarySearch(bounds, set.rangeEnd(r) + 1);
                for (int k = from; k < to; k++) {
                    signature[k][j >>> 6] |= 1L << j;
                }
            }
            j++;
        }
        for (int s = 0; s < SPECIALS.length; s++) {
            int bit = sets.size() + s;
            signature[Arrays.binarySearch(bounds, SPECIALS[s])][bit >>> 6] |= 1L << bit;
        }
        Map<SignatureKey, Integer> atoms = new HashMap<>();
        int[] intervalAtom = new int[intervals];
        for (int k = 0; k < intervals; k++) {
            intervalAtom[k] = atoms.computeIfAbsent(new SignatureKey(signature[k]), key -> atoms.size());
        }
        return new Alphabet(bounds, intervalAtom, atoms.size());
    }

    private static int[] collectBounds(Collection<CharSet> sets) {
        int[] bounds = new int[16];
        int n = 0;
        for (CharSet set : sets) {
            for (int r = 0; r < set.rangeCount(); r++) {
                if (n + 2 > bounds.length) {
                    bounds = Arrays.copyOf(bounds, bounds.length * 2);
                }
                bounds[n++] = set.rangeStart(r);
                bounds[n++] = set.rangeEnd(r) + 1;
            }
        }
        bounds = Arrays.copyOf(bounds, n + 1 + 2 * SPECIALS.length);
        bounds[n++] = 0;
        for (int special : SPECIALS) {
            bounds[n++] = special;
            bounds[n++] = special + 1;
        }
        Arrays.sort(bounds, 0, n);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (bounds[i] <= CharSet.MAX_CODE_POINT && (m == 0 || bounds[m - 1] != bounds[i])) {
                bounds[m++] = bounds[i];
            }
        }
        return Arrays.copyOf(bounds, m);
    }

    int atomOf(int codePoint) {
        return codePoint < 128 ? ascii[codePoint] : intervalAtom[interval(codePoint)];
    }

    private int interval(int codePoint) {
        int i = Arrays.binarySearch(starts, codePoint);
        return i >= 0 ? i : -i - 2;
    }

    /** The atoms that make up {@code set}, as a bit set. */
    long[] atomsOf(CharSet set) {
        long[] bits = new long[(size + 63) >>> 6];
        for (int r = 0; r < set.rangeCount(); r++) {
            int from = interval(set.rangeStart(r));
            int to = interval(set.rangeEnd(r));
            for (int k = from; k <= to; k++) {
                int atom = intervalAtom[k];
                bits[atom >>> 6] |= 1L << atom;
            }
        }
        return bits;
    }

    long[] allAtoms() {
        long[] bits = new long[(size + 63) >>> 6];
        for (int atom = 0; atom < size; atom++) {
            bits[atom >>> 6] |= 1L << atom;
        }
        return bits;
    }

    /** A character of the atom that reads well in a reported path. */
    int representative(int atom) {
        return representative[atom];
    }

    /** Lower is more readable; used to pick among atoms that would all do. */
    int rank(int atom) {
        return rank[atom];
    }

    byte pathClass(int atom) {
        return pathClass[atom];
    }

    private int firstCodePoint(int atom) {
        for (int k = 0; k < starts.length; k++) {
            if (intervalAtom[k] == atom) {
                return starts[k];
            }
        }
        throw new IllegalStateException("atom " + atom + " has no interval");
    }

    /** A printable, non-surrogate code point in {@code [lo, hi]}, or -1. */
    private static int pleasant(int lo, int hi) {
        int[][] windows = {{0x21, 0x7E}, {0xA1, 0xD7FF}, {0xE000, 0xFFFD}, {0x10000, CharSet.MAX_CODE_POINT}};
        for (int[] w : windows) {
            int from = Math.max(lo, w[0]);
            if (from <= Math.min(hi, w[1])) {
                return from;
            }
        }
        return -1;
    }

    private record SignatureKey(long[] bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SignatureKey other && Arrays.equals(bits, other.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }
}
