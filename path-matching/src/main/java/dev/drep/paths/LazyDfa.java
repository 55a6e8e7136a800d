package dev.drep.paths;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A DFA built on demand from a {@link GlobNfa} by subset construction, one transition at a time, and cached.
 * Matching is one array lookup per character once the transitions a workload uses exist; a new transition
 * costs time linear in the NFA subset, so matching is never worse than linear in the path times the NFA.
 *
 * <p>The cache is bounded: when it would exceed its budget of states or of stored subset entries it is
 * dropped and rebuilt, as RE2 does, so hostile patterns such as {@code *a??????????????} (whose full DFA is
 * exponential) cost time, never unbounded memory.
 *
 * <p>Thread-safe. Reads of cached transitions take no lock: a {@link State}'s fields are final, so a
 * reference read through a racy array slot always shows a fully built state; a {@code null} slot only means
 * "not computed yet" and falls back to the synchronized computation.
 */
final class LazyDfa {

    final GlobNfa nfa;
    final Alphabet alphabet;
    private final long[][] setAtoms;
    private final int slashAtom;
    private final int stateBudget;
    private final long subsetBudget;

    private volatile Cache cache;
    /** Scratch for subset computation; guarded by {@code this}. */
    private final int[] mark;
    private int stamp;
    private int[] stack = new int[64];
    private int[] out = new int[64];

    LazyDfa(GlobNfa nfa, int stateBudget, long subsetBudget) {
        this.nfa = nfa;
        this.alphabet = Alphabet.of(nfa.sets);
        this.setAtoms = new long[nfa.sets.size()][];
        for (int i = 0; i < setAtoms.length; i++) {
            setAtoms[i] = alphabet.atomsOf(nfa.sets.get(i));
        }
        this.slashAtom = alphabet.slashAtom;
        this.stateBudget = stateBudget;
        this.subsetBudget = subsetBudget;
        this.mark = new int[nfa.stateCount];
        synchronized (this) {
            this.cache = newCache();
        }
    }

    State start() {
        return cache.start;
    }

    /** The state after reading code point {@code codePoint} in state {@code state}. */
    State step(State state, int codePoint) {
        int atom = alphabet.atomOf(codePoint);
        State next = state.next[atom];
        return next != null ? next : compute(state, atom);
    }

    /** Transition on an atom rather than a character; for the analyses that enumerate atoms. */
    State stepAtom(State state, int atom) {
        State next = state.next[atom];
        return next != null ? next : compute(state, atom);
    }

    /** Runs a normalized path from the start state; stops early in the dead state. */
    State run(String path) {
        State s = cache.start;
        int n = path.length();
        for (int i = 0; i < n && !s.dead; ) {
            int cp = path.charAt(i);
            if (cp < 0x80) {
                i++;
            } else {
                cp = path.codePointAt(i);
                i += Character.charCount(cp);
            }
            s = step(s, cp);
        }
        return s;
    }

    int cachedStates() {
        return cache.states.size();
    }

    private synchronized State compute(State from, int atom) {
        State known = from.next[atom];
        if (known != null) {
            return known;
        }
        int[] subset = successors(from.nfaStates, atom);
        Cache c = cache;
        SubsetKey key = new SubsetKey(subset);
        State target = c.states.get(key);
        if (target == null) {
            if (c.states.size() >= stateBudget || c.subsetEntries + subset.length > subsetBudget) {
                c = newCache();
                cache = c;
                target = c.states.get(key);
            }
            if (target == null) {
                target = intern(c, key);
            }
        }
        from.next[atom] = target;
        return target;
    }

    private Cache newCache() {
        Cache c = new Cache();
        stamp++;
        int size = 0;
        size = close(GlobNfa.START, size);
        c.start = intern(c, new SubsetKey(sortedCopy(size)));
        return c;
    }

    private State intern(Cache c, SubsetKey key) {
        State s = new State(key.states, alphabet.size, nfa);
        c.states.put(key, s);
        c.subsetEntries += key.states.length;
        return s;
    }

    private int[] successors(int[] subset, int atom) {
        stamp++;
        int size = 0;
        for (int s : subset) {
            byte loop = nfa.loop[s];
            if (loop == GlobNfa.LOOP_ANY || (loop == GlobNfa.LOOP_SEGMENT && atom != slashAtom)) {
                size = close(s, size);
            }
            for (int e = nfa.edgeStart[s], end = nfa.edgeStart[s + 1]; e < end; e++) {
                long[] atoms = setAtoms[nfa.edgeSet[e]];
                if ((atoms[atom >>> 6] & (1L << atom)) != 0) {
                    size = close(nfa.edgeTarget[e], size);
                }
            }
        }
        return sortedCopy(size);
    }

    /** Adds {@code state} and everything reachable from it by epsilon edges to {@link #out}. */
    private int close(int state, int size) {
        if (mark[state] == stamp) {
            return size;
        }
        mark[state] = stamp;
        int top = 0;
        stack[top++] = state;
        while (top > 0) {
            int s = stack[--top];
            if (size == out.length) {
                out = Arrays.copyOf(out, size * 2);
            }
            out[size++] = s;
            for (int e = nfa.epsilonStart[s], end = nfa.epsilonStart[s + 1]; e < end; e++) {
                int t = nfa.epsilonTarget[e];
                if (mark[t] != stamp) {
                    mark[t] = stamp;
                    if (top == stack.length) {
                        stack = Arrays.copyOf(stack, top * 2);
                    }
                    stack[top++] = t;
                }
            }
        }
        return size;
    }

    private int[] sortedCopy(int size) {
        int[] subset = Arrays.copyOf(out, size);
        Arrays.sort(subset);
        return subset;
    }

    /** A DFA state: a set of NFA states plus what it accepts, precomputed for the match loop. */
    static final class State {
        final int[] nfaStates;
        final State[] next;
        final boolean dead;
        /** Indices whose patterns match a path ending here that is a file; ascending. */
        final int[] fileMatches;
        /** Indices whose patterns match a path ending here that is a directory; ascending. */
        final int[] dirMatches;

        State(int[] nfaStates, int atoms, GlobNfa nfa) {
            this.nfaStates = nfaStates;
            this.next = new State[atoms];
            this.dead = nfaStates.length == 0;
            int count = 0;
            for (int s : nfaStates) {
                count += nfa.acceptStart[s + 1] - nfa.acceptStart[s];
            }
            int[] file = new int[count];
            int[] dir = new int[count];
            int files = 0;
            int dirs = 0;
            for (int s : nfaStates) {
                for (int a = nfa.acceptStart[s], end = nfa.acceptStart[s + 1]; a < end; a++) {
                    int code = nfa.acceptCode[a];
                    dir[dirs++] = code >>> 1;
                    if ((code & 1) == 0) {
                        file[files++] = code >>> 1;
                    }
                }
            }
            this.fileMatches = distinctSorted(file, files);
            this.dirMatches = distinctSorted(dir, dirs);
        }

        private static int[] distinctSorted(int[] values, int size) {
            if (size == 0) {
                return EMPTY;
            }
            Arrays.sort(values, 0, size);
            int m = 1;
            for (int i = 1; i < size; i++) {
                if (values[i] != values[m - 1]) {
                    values[m++] = values[i];
                }
            }
            return Arrays.copyOf(values, m);
        }
    }

    static final int[] EMPTY = new int[0];

    private static final class Cache {
        final Map<SubsetKey, State> states = new HashMap<>();
        long subsetEntries;
        State start;
    }

    private static final class SubsetKey {
        final int[] states;
        final int hash;

        SubsetKey(int[] states) {
            this.states = states;
            this.hash = Arrays.hashCode(states);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SubsetKey other && hash == other.hash && Arrays.equals(states, other.states);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
