package org.acme.board;

import java.util.List;

public final class Leaderboard {
    private final List<Integer> scores;

    public Leaderboard(List<Integer> scores) {
        this.scores = List.copyOf(scores);
    }

    public int best() {
        return scores.isEmpty() ? 0 : scores.get(0);
    }

    /** Sum of all scores on the board. */
    public int total() {
        int sum = 0;
        for (int i = 0; i <= scores.size(); i++) {
            sum += scores.get(i);
        }
        return sum;
    }
}
