package dev.drep.paths;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Exact questions about the path languages of patterns, answered on automata: is some path matched by both
 * (product construction plus a reachability search), and is every path matched (a search for a path the
 * DFA rejects). Both run against a small automaton of valid paths so that witnesses are real paths: no
 * empty, {@code .} or {@code ..} segment, no NUL or backslash, no leading or trailing slash.
 */
final class LanguageAnalysis {

    private static final int PATH_START = 0;
    private static final int PATH_SEGMENT = 1;
    private static final int PATH_DOT = 2;
    private static final int PATH_DOT_DOT = 3;
    private static final int PATH_DEAD = -1;
    private static final byte[] MOVE_CLASSES = {Alphabet.PATH_OTHER, Alphabet.PATH_DOT, Alphabet.PATH_SLASH};

    /** Explored (state, path-state) pairs before {@link #matchesEveryFile} gives up. */
    private static final int UNIVERSALITY_BUDGET = 200_000;

    private LanguageAnalysis() {}

    /** The valid-path automaton; only {@link #PATH_SEGMENT} accepts. */
    static int pathStep(int state, byte pathClass) {
        if (state == PATH_DEAD || pathClass == Alphabet.PATH_FORBIDDEN) {
            return PATH_DEAD;
        }
        if (pathClass == Alphabet.PATH_SLASH) {
            return state == PATH_SEGMENT ? PATH_START : PATH_DEAD;
        }
        if (pathClass == Alphabet.PATH_DOT) {
            return switch (state) {
                case PATH_START -> PATH_DOT;
                case PATH_DOT -> PATH_DOT_DOT;
                default -> PATH_SEGMENT;
            };
        }
        return PATH_SEGMENT;
    }

    /**
     * A path both automata accept, found by a shortest-path search in which every character costs 1 and a
     * dot opening a segment costs 3: the witness is as short as possible, and a visible name such as
     * {@code src/a.py} is preferred to an equally plausible hidden one such as {@code src/.py}.
     */
    static Optional<String> commonPath(GlobNfa a, GlobNfa b) {
        Product product = new Product(a, b);
        Map<Long, Integer> distance = new HashMap<>();
        Map<Long, long[]> parent = new HashMap<>();
        Set<Long> settled = new HashSet<>();
        PriorityQueue<long[]> queue = new PriorityQueue<>(Comparator.comparingLong(entry -> entry[0]));
        long start = product.encode(GlobNfa.START, GlobNfa.START, PATH_START);
        distance.put(start, 0);
        queue.add(new long[] {0, start});
        while (!queue.isEmpty()) {
            long u = queue.poll()[1];
            if (!settled.add(u)) {
                continue;
            }
            int x = product.x(u);
            int y = product.y(u);
            int v = product.v(u);
            if (v == PATH_SEGMENT && a.accepts(x) && b.accepts(y)) {
                return Optional.of(product.spell(u, parent, acceptsFile(a, x) && acceptsFile(b, y)));
            }
            int d = distance.get(u);
            product.forEachMove(x, y, v, true, (target, atom) -> {
                int weight = atom < 0 ? 0 : v == PATH_START && product.v(target) == PATH_DOT ? 3 : 1;
                Integer known = distance.get(target);
                if (known == null || known > d + weight) {
                    distance.put(target, d + weight);
                    parent.put(target, new long[] {u, atom});
                    queue.add(new long[] {d + weight, target});
                }
            });
        }
        return Optional.empty();
    }

    /**
     * The indices of {@code set} whose languages share a path with {@code candidate}'s, ascending: one
     * exhaustive breadth-first search of the product, collecting every pattern accepting together with the
     * candidate.
     */
    static int[] overlapping(GlobNfa set, GlobNfa candidate) {
        return overlapping(set, new int[] {GlobNfa.START}, candidate);
    }

    /**
     * As {@link #overlapping(GlobNfa, GlobNfa)}, with the set's automaton started in {@code setStates} (a DFA
     * state's subset, reached by reading a directory prefix such as {@code src/api/}) instead of its start.
     */
    static int[] overlapping(GlobNfa set, int[] setStates, GlobNfa candidate) {
        Product product = new Product(set, candidate);
        BitSet found = new BitSet();
        LongIntMap seen = new LongIntMap(1024);
        LongQueue queue = new LongQueue();
        for (int state : setStates) {
            long start = product.encode(state, GlobNfa.START, PATH_START);
            if (seen.putIfAbsent(start, 0)) {
                queue.add(start);
            }
        }
        MoveSink enqueue = (target, atom) -> {
            if (seen.putIfAbsent(target, 0)) {
                queue.add(target);
            }
        };
        while (!queue.isEmpty()) {
            long u = queue.poll();
            int x = product.x(u);
            int y = product.y(u);
            int v = product.v(u);
            if (v == PATH_SEGMENT && set.accepts(x) && candidate.accepts(y)) {
                for (int i = set.acceptStart[x]; i < set.acceptStart[x + 1]; i++) {
                    found.set(set.acceptCode[i] >>> 1);
                }
            }
            product.forEachMove(x, y, v, false, enqueue);
        }
        return found.stream().toArray();
    }

    /**
     * Whether the DFA accepts every valid file path: a breadth-first search over (DFA state, path state)
     * for a valid path it rejects, keyed by NFA subsets because a cache reset may duplicate DFA states.
     */
    static boolean matchesEveryFile(PathPattern pattern, LazyDfa dfa) {
        Alphabet alphabet = dfa.alphabet;
        Set<SubsetAt> seen = new HashSet<>();
        ArrayDeque<Visit> queue = new ArrayDeque<>();
        LazyDfa.State start = dfa.start();
        seen.add(new SubsetAt(start.nfaStates, PATH_START));
        queue.add(new Visit(start, PATH_START));
        while (!queue.isEmpty()) {
            Visit visit = queue.poll();
            LazyDfa.State s = visit.state();
            int v = visit.pathState();
            for (int atom = 0; atom < alphabet.size; atom++) {
                int w = pathStep(v, alphabet.pathClass(atom));
                if (w == PATH_DEAD) {
                    continue;
                }
                LazyDfa.State t = dfa.stepAtom(s, atom);
                // A rejected valid path, or a dead DFA on a prefix that can still be completed into one.
                if ((w == PATH_SEGMENT && t.fileMatches.length == 0) || t.dead) {
                    return false;
                }
                if (seen.add(new SubsetAt(t.nfaStates, w))) {
                    if (seen.size() > UNIVERSALITY_BUDGET) {
                        throw new InvalidPatternException(pattern.text(), "it is too intricate to decide whether it"
                                + " matches every path; simplify it");
                    }
                    queue.add(new Visit(t, w));
                }
            }
        }
        return true;
    }

    private static boolean acceptsFile(GlobNfa nfa, int state) {
        for (int i = nfa.acceptStart[state]; i < nfa.acceptStart[state + 1]; i++) {
            if ((nfa.acceptCode[i] & 1) == 0) {
                return true;
            }
        }
        return false;
    }

    private record Visit(LazyDfa.State state, int pathState) {}

    private record SubsetAt(int[] subset, int pathState) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SubsetAt other && pathState == other.pathState && Arrays.equals(subset, other.subset);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(subset) * 4 + pathState;
        }
    }

    @FunctionalInterface
    private interface MoveSink {
        /** @param atom the atom read, or -1 for an epsilon move */
        void accept(long target, int atom);
    }

    /** The product of two NFAs and the valid-path automaton over their joint alphabet. */
    private static final class Product {
        private final GlobNfa a;
        private final GlobNfa b;
        private final Alphabet alphabet;
        private final Moves movesA;
        private final Moves movesB;
        private final long[][] classAtoms = new long[4][];

        Product(GlobNfa a, GlobNfa b) {
            this.a = a;
            this.b = b;
            List<CharSet> sets = new ArrayList<>(a.sets);
            sets.addAll(b.sets);
            this.alphabet = Alphabet.of(sets);
            this.movesA = new Moves(a, alphabet);
            this.movesB = new Moves(b, alphabet);
            int words = (alphabet.size + 63) >>> 6;
            for (int c = 0; c < 4; c++) {
                classAtoms[c] = new long[words];
            }
            for (int atom = 0; atom < alphabet.size; atom++) {
                classAtoms[alphabet.pathClass(atom)][atom >>> 6] |= 1L << atom;
            }
        }

        long encode(int x, int y, int v) {
            return (((long) x * b.stateCount + y) << 2) | v;
        }

        int x(long code) {
            return (int) ((code >>> 2) / b.stateCount);
        }

        int y(long code) {
            return (int) ((code >>> 2) % b.stateCount);
        }

        int v(long code) {
            return (int) (code & 3);
        }

        /**
         * Reports every move of the product from (x, y, v).
         *
         * @param witness whether the atom read matters (it is spelled into a witness); if not, any atom
         *     stands for the whole class and the cheaper emptiness test is used
         */
        void forEachMove(int x, int y, int v, boolean witness, MoveSink sink) {
            for (int e = a.epsilonStart[x]; e < a.epsilonStart[x + 1]; e++) {
                sink.accept(encode(a.epsilonTarget[e], y, v), -1);
            }
            for (int e = b.epsilonStart[y]; e < b.epsilonStart[y + 1]; e++) {
                sink.accept(encode(x, b.epsilonTarget[e], v), -1);
            }
            long[][] bitsA = movesA.atoms(x);
            int[] targetsA = movesA.targets(x);
            long[][] bitsB = movesB.atoms(y);
            int[] targetsB = movesB.targets(y);
            for (int i = 0; i < targetsA.length; i++) {
                for (int j = 0; j < targetsB.length; j++) {
                    for (byte pathClass : MOVE_CLASSES) {
                        int w = pathStep(v, pathClass);
                        if (w == PATH_DEAD) {
                            continue;
                        }
                        int atom = witness
                                ? bestCommonAtom(bitsA[i], bitsB[j], classAtoms[pathClass])
                                : anyCommon(bitsA[i], bitsB[j], classAtoms[pathClass]) ? 0 : -1;
                        if (atom >= 0) {
                            sink.accept(encode(targetsA[i], targetsB[j], w), atom);
                        }
                    }
                }
            }
        }

        private static boolean anyCommon(long[] p, long[] q, long[] r) {
            for (int w = 0; w < p.length; w++) {
                if ((p[w] & q[w] & r[w]) != 0) {
                    return true;
                }
            }
            return false;
        }

        private int bestCommonAtom(long[] p, long[] q, long[] r) {
            int best = -1;
            for (int w = 0; w < p.length; w++) {
                long bits = p[w] & q[w] & r[w];
                while (bits != 0) {
                    int atom = (w << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    if (best < 0 || alphabet.rank(atom) < alphabet.rank(best)) {
                        best = atom;
                    }
                }
            }
            return best;
        }

        String spell(long end, Map<Long, long[]> parent, boolean file) {
            StringBuilder reversed = new StringBuilder();
            long u = end;
            long[] step;
            while ((step = parent.get(u)) != null) {
                if (step[1] >= 0) {
                    reversed.appendCodePoint(alphabet.representative((int) step[1]));
                }
                u = step[0];
            }
            String path = reversed.reverse().toString();
            return file ? path : path + "/";
        }
    }

    /** Character moves of NFA states over a given alphabet, computed for the states a search reaches. */
    private static final class Moves {
        private final GlobNfa nfa;
        private final long[][] setAtoms;
        private final long[] all;
        private final long[] nonSlash;
        private final long[][][] atoms;
        private final int[][] targets;

        Moves(GlobNfa nfa, Alphabet alphabet) {
            this.nfa = nfa;
            this.setAtoms = new long[nfa.sets.size()][];
            for (int i = 0; i < setAtoms.length; i++) {
                setAtoms[i] = alphabet.atomsOf(nfa.sets.get(i));
            }
            this.all = alphabet.allAtoms();
            this.nonSlash = all.clone();
            nonSlash[alphabet.slashAtom >>> 6] &= ~(1L << alphabet.slashAtom);
            this.atoms = new long[nfa.stateCount][][];
            this.targets = new int[nfa.stateCount][];
        }

        long[][] atoms(int state) {
            build(state);
            return atoms[state];
        }

        int[] targets(int state) {
            build(state);
            return targets[state];
        }

        private void build(int state) {
            if (targets[state] != null) {
                return;
            }
            int edges = nfa.edgeStart[state + 1] - nfa.edgeStart[state];
            boolean loops = nfa.loop[state] != GlobNfa.LOOP_NONE;
            int n = edges + (loops ? 1 : 0);
            long[][] bits = new long[n][];
            int[] to = new int[n];
            int k = 0;
            if (loops) {
                bits[k] = nfa.loop[state] == GlobNfa.LOOP_ANY ? all : nonSlash;
                to[k++] = state;
            }
            for (int e = nfa.edgeStart[state]; e < nfa.edgeStart[state + 1]; e++) {
                bits[k] = setAtoms[nfa.edgeSet[e]];
                to[k++] = nfa.edgeTarget[e];
            }
            atoms[state] = bits;
            targets[state] = to;
        }
    }

    /** A growable FIFO of {@code long}s; the search visits each state once, so it never needs to shrink. */
    private static final class LongQueue {
        private long[] items = new long[1024];
        private int head;
        private int tail;

        void add(long item) {
            if (tail == items.length) {
                items = Arrays.copyOf(items, items.length * 2);
            }
            items[tail++] = item;
        }

        boolean isEmpty() {
            return head == tail;
        }

        long poll() {
            return items[head++];
        }
    }
}
