package dev.drep.paths;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Case-insensitive matching by widening character sets instead of folding the input: a set becomes the
 * union of the case classes of its members. Keeping every automaton in the raw code point space lets
 * case-sensitive and case-insensitive patterns share one automaton and be intersected exactly.
 *
 * <p>Two code points are in the same case class when {@code toLowerCase(toUpperCase(c))} agrees, Java's
 * simple (one-to-one) case mapping; git folds ASCII only, which this agrees with for ASCII.
 */
final class CaseFolding {

    private CaseFolding() {}

    static CharSet widen(CharSet set) {
        int[] special = Table.SPECIAL;
        CharSet.Builder b = new CharSet.Builder().addAll(set);
        for (int r = 0; r < set.rangeCount(); r++) {
            int from = lowerBound(special, set.rangeStart(r));
            for (int i = from; i < special.length && special[i] <= set.rangeEnd(r); i++) {
                for (int variant : Table.VARIANTS[i]) {
                    b.add(variant);
                }
            }
        }
        return b.build();
    }

    private static final int LAST_CASED_PLANE_END = 0x1FFFF;

    private static int lowerBound(int[] sorted, int key) {
        int i = Arrays.binarySearch(sorted, key);
        return i >= 0 ? i : -i - 1;
    }

    /**
     * Built on first use. Only planes 0 and 1 are scanned: every cased script Unicode has encoded lies there
     * (the last ones, such as Adlam, end below U+1E950), and the planes above hold CJK and tags only.
     */
    private static final class Table {
        /** Code points that have at least one other case variant, ascending. */
        static final int[] SPECIAL;
        /** {@code VARIANTS[i]}: the whole case class of {@code SPECIAL[i]}, itself included. */
        static final int[][] VARIANTS;

        static {
            // fold value -> members (the fold value itself first); only non-trivial classes are recorded.
            Map<Integer, int[]> classes = new HashMap<>();
            for (int cp = 0; cp <= LAST_CASED_PLANE_END; cp++) {
                int folded = Character.toLowerCase(Character.toUpperCase(cp));
                if (folded != cp) {
                    classes.merge(folded, new int[] {folded, cp}, CaseFolding::mergeSorted);
                }
            }
            Map<Integer, int[]> byMember = new HashMap<>();
            for (int[] members : classes.values()) {
                for (int m : members) {
                    byMember.merge(m, members, CaseFolding::mergeSorted);
                }
            }
            SPECIAL = new int[byMember.size()];
            int i = 0;
            for (int member : byMember.keySet()) {
                SPECIAL[i++] = member;
            }
            Arrays.sort(SPECIAL);
            VARIANTS = new int[SPECIAL.length][];
            for (i = 0; i < SPECIAL.length; i++) {
                VARIANTS[i] = byMember.get(SPECIAL[i]);
            }
        }
    }

    /** The sorted union of two sorted, duplicate-free arrays. */
    private static int[] mergeSorted(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            int next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            if (i < a.length && a[i] == next) {
                i++;
            }
            if (j < b.length && b[j] == next) {
                j++;
            }
            out[n++] = next;
        }
        return Arrays.copyOf(out, n);
    }
}
