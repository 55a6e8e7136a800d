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
}
