package dev.drep.paths;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A nondeterministic automaton for many patterns at once, built as a trie of their token sequences: patterns
 * that share a prefix of steps ({@code src/module7/...}) share the states for it, which keeps the subsets a
 * DFA state tracks small even for tens of thousands of patterns.
 *
 * <p>States carry an optional self-loop ({@code *} loops on non-slash characters, a crossing {@code **} on
 * all), epsilon edges, character edges and accept codes {@code index << 1 | directoryOnlyBit}. Stored in
 * compressed rows so stepping touches flat arrays only.
 */
final class GlobNfa {

    static final byte LOOP_NONE = 0;
    static final byte LOOP_SEGMENT = 1;
    static final byte LOOP_ANY = 2;
    static final int START = 0;

    final int stateCount;
    final byte[] loop;
    final int[] epsilonStart;
    final int[] epsilonTarget;
    final int[] edgeStart;
    final int[] edgeSet;
    final int[] edgeTarget;
    final int[] acceptStart;
    final int[] acceptCode;
    /** Distinct character sets; {@link #edgeSet} indexes this list. */
    final List<CharSet> sets;

    private GlobNfa(Builder b) {
        this.stateCount = b.stateCount;
        this.loop = Arrays.copyOf(b.loop, b.stateCount);
        this.sets = List.copyOf(b.sets);
        int[][] eps = rows(b.stateCount, b.epsilonFrom, b.epsilonCount, new int[][] {b.epsilonTo});
        this.epsilonStart = eps[0];
        this.epsilonTarget = eps[1];
        int[][] edges = rows(b.stateCount, b.edgeFrom, b.edgeCount, new int[][] {b.edgeSetIds, b.edgeTo});
        this.edgeStart = edges[0];
        this.edgeSet = edges[1];
        this.edgeTarget = edges[2];
        int[][] accepts = rows(b.stateCount, b.acceptState, b.acceptCount, new int[][] {b.acceptCodes});
        this.acceptStart = accepts[0];
        this.acceptCode = accepts[1];
    }

    static int acceptCode(int index, boolean directoryOnly) {
        return index << 1 | (directoryOnly ? 1 : 0);
    }

    /** Groups parallel arrays by their {@code from} state with a counting sort: {start offsets, columns...}. */
    private static int[][] rows(int states, int[] from, int count, int[][] columns) {
        int[] start = new int[states + 1];
        for (int i = 0; i < count; i++) {
            start[from[i] + 1]++;
        }
        for (int s = 0; s < states; s++) {
            start[s + 1] += start[s];
        }
        int[] cursor = Arrays.copyOf(start, states);
        int[][] out = new int[columns.length + 1][];
        out[0] = start;
        for (int c = 0; c < columns.length; c++) {
            out[c + 1] = new int[count];
        }
        for (int i = 0; i < count; i++) {
            int at = cursor[from[i]]++;
            for (int c = 0; c < columns.length; c++) {
                out[c + 1][at] = columns[c][i];
            }
        }
        return out;
    }

    boolean accepts(int state) {
        return acceptStart[state] < acceptStart[state + 1];
    }

    /** Adds patterns one token sequence at a time, merging common prefixes. */
    static final class Builder {
        private int stateCount;
        private byte[] loop = new byte[64];
        private final List<CharSet> sets = new ArrayList<>();
        private final Map<CharSet, Integer> setIds = new HashMap<>();
        /** Literal tokens share their sets, so most lookups hit here without comparing ranges. */
        private final Map<CharSet, Integer> setIdsByIdentity = new IdentityHashMap<>();
        /**
         * Trie edges: (parent state, token) keys to child states. A boxed {@code HashMap<Long, Integer>}
         * degrades here because {@code Long.hashCode} folds the parent onto the token bits.
         */
        private final LongIntMap children = new LongIntMap(1024);

        private int[] epsilonFrom = new int[64];
        private int[] epsilonTo = new int[64];
        private int epsilonCount;
        private int[] edgeFrom = new int[64];
        private int[] edgeSetIds = new int[64];
        private int[] edgeTo = new int[64];
        private int edgeCount;
        private int[] acceptState = new int[16];
        private int[] acceptCodes = new int[16];
        private int acceptCount;

        Builder() {
            newState(LOOP_NONE);
        }

        /** Follows (creating as needed) the trie path of {@code tokens} from {@code from}; returns its end. */
        int path(int from, List<Token> tokens) {
            int state = from;
            for (Token token : tokens) {
                state = child(state, token);
            }
            return state;
        }

        void accept(int state, int code) {
            if (acceptCount == acceptState.length) {
                acceptState = Arrays.copyOf(acceptState, acceptCount * 2);
                acceptCodes = Arrays.copyOf(acceptCodes, acceptCount * 2);
            }
            acceptState[acceptCount] = state;
            acceptCodes[acceptCount++] = code;
        }

        GlobNfa build() {
            return new GlobNfa(this);
        }

        private int child(int parent, Token token) {
            int setId = token.kind() == Token.Kind.CHAR ? setId(token.set()) : 0;
            long key = ((long) parent << 32) | ((long) setId << 2) | token.kind().ordinal();
            int known = children.get(key, -1);
            if (known >= 0) {
                return known;
            }
            int child;
            switch (token.kind()) {
                case CHAR -> {
                    child = newState(LOOP_NONE);
                    edge(parent, setId, child);
                }
                case STAR -> {
                    child = newState(LOOP_SEGMENT);
                    epsilon(parent, child);
                }
                case ANY_STAR -> {
                    child = newState(LOOP_ANY);
                    epsilon(parent, child);
                }
                case DIRECTORIES -> {
                    // "Nothing" straight to the child, or anything ending in a slash through a looping state.
                    child = newState(LOOP_NONE);
                    int anything = newState(LOOP_ANY);
                    epsilon(parent, child);
                    epsilon(parent, anything);
                    edge(anything, setId(CharSet.SLASH), child);
                }
                default -> throw new IllegalStateException("unknown token kind " + token.kind());
            }
            children.putIfAbsent(key, child);
            return child;
        }

        private int setId(CharSet set) {
            Integer id = setIdsByIdentity.get(set);
            if (id != null) {
                return id;
            }
            id = setIds.get(set);
            if (id == null) {
                id = sets.size();
                sets.add(set);
                setIds.put(set, id);
            }
            setIdsByIdentity.put(set, id);
            return id;
        }

        private int newState(byte loopKind) {
            if (stateCount == loop.length) {
                loop = Arrays.copyOf(loop, stateCount * 2);
            }
            loop[stateCount] = loopKind;
            return stateCount++;
        }

        private void epsilon(int from, int to) {
            if (epsilonCount == epsilonFrom.length) {
                epsilonFrom = Arrays.copyOf(epsilonFrom, epsilonCount * 2);
                epsilonTo = Arrays.copyOf(epsilonTo, epsilonCount * 2);
            }
            epsilonFrom[epsilonCount] = from;
            epsilonTo[epsilonCount++] = to;
        }

        private void edge(int from, int setId, int to) {
            if (edgeCount == edgeFrom.length) {
                edgeFrom = Arrays.copyOf(edgeFrom, edgeCount * 2);
                edgeSetIds = Arrays.copyOf(edgeSetIds, edgeCount * 2);
                edgeTo = Arrays.copyOf(edgeTo, edgeCount * 2);
            }
            edgeFrom[edgeCount] = from;
            edgeSetIds[edgeCount] = setId;
            edgeTo[edgeCount++] = to;
        }
    }
}
