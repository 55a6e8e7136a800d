package dev.drep.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Patterns that make backtracking matchers (git's own, or a regex translation) take exponential time, and
 * patterns whose DFA is exponential in size. The automata must give the right answer in linear time and
 * bounded memory; the time limits are generous so that a slow CI machine does not fail them, while a
 * backtracking implementation would not finish at all.
 */
class HostilePatternTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void starChainsAgainstLongRunsOfTheSameLetter() {
        assertTimeoutPreemptively(LIMIT, () -> {
            String path = "a".repeat(100_000);
            PathPattern pattern = PathPattern.compile("*a*a*a*a*a*a*a*a*b");
            assertThat(pattern.matchesExactly(path)).isFalse();
            assertThat(pattern.matchesExactly(path + "b")).isTrue();
            PathPattern crossing = PathPattern.compile("**/*a*a*a*a*a*a*a*a*a*a*a*a*b/**");
            String deep = "aaaaaaaaaaaaaaaaaaaaaaaa/".repeat(2_000) + "x";
            assertThat(crossing.matchesExactly(deep)).isFalse();
            assertThat(crossing.matchesExactly(deep.replace("a/a", "b/a"))).isTrue();
        });
    }

    @Test
    void exponentialDfaStaysWithinItsCacheAndGivesTheRightAnswer() {
        assertTimeoutPreemptively(LIMIT, () -> {
            // The 20th character from the end is an 'a': the minimal DFA has 2^20 states.
            PathPattern pattern = PathPattern.compile("*a" + "?".repeat(19));
            Random random = new Random(7);
            for (int round = 0; round < 20; round++) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 20_000; i++) {
                    sb.append(random.nextBoolean() ? 'a' : 'b');
                }
                String path = sb.toString();
                assertThat(pattern.matchesExactly(path)).isEqualTo(path.charAt(path.length() - 20) == 'a');
            }
            assertThat(pattern.automaton().cachedStates()).isLessThanOrEqualTo(2_000);
        });
    }

    @Test
    void maximalDoubleStarPatternsAgainstDeepPaths() {
        assertTimeoutPreemptively(LIMIT, () -> {
            // Every "**" here is a real "**/": 16 "a" segments in order, anywhere, then "b" last.
            String pattern = "**/a/".repeat(PathPattern.MAX_DOUBLE_STARS) + "b";
            PathPattern compiled = PathPattern.compile(pattern);
            String deep = "a/".repeat(20_000);
            assertThat(compiled.matchesExactly(deep + "c")).isFalse();
            assertThat(compiled.matchesExactly(deep + "b")).isTrue();
            assertThat(compiled.matchesExactly("a/".repeat(PathPattern.MAX_DOUBLE_STARS - 1) + "b")).isFalse();
        });
    }

    @Test
    void longestAllowedPatternCompilesAndMatchesQuickly() {
        assertTimeoutPreemptively(LIMIT, () -> {
            StringBuilder sb = new StringBuilder();
            while (sb.length() + 2 <= PathPattern.MAX_LENGTH) {
                sb.append("*a");
            }
            PathPattern pattern = PathPattern.compile(sb.toString());
            assertThat(pattern.matchesExactly("a".repeat(10_000))).isTrue();
            assertThat(pattern.matchesExactly("a".repeat(1_000))).isFalse();
            assertThat(pattern.matchesExactly("b".repeat(50_000))).isFalse();
        });
    }

    @Test
    void unionOfHostilePatternsAgainstLongPaths() {
        assertTimeoutPreemptively(LIMIT, () -> {
            List<String> patterns = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                patterns.add("*a".repeat(1 + i % 12) + "*b" + i);
                patterns.add("**/*a" + "?".repeat(i % 15) + "/**");
            }
            PatternSet set = PatternSet.compile(patterns, MatchOptions.CASE_SENSITIVE);
            String path = "a".repeat(50_000);
            assertThat(set.anyCovers(path)).isFalse();
            assertThat(set.coveringIndices(path + "b7")).containsExactly(12);
        });
    }

    @Test
    void overlapOfHostilePairsIsExactAndFast() {
        assertTimeoutPreemptively(LIMIT, () -> {
            PathPattern a = PathPattern.compile("*a*a*a*a*a*a*a*a*b");
            PathPattern b = PathPattern.compile("*b*b*b*b*b*b*b*b*a*");
            String witness = PatternOverlap.commonPath(a, b).orElseThrow();
            assertThat(a.covers(witness)).isTrue();
            assertThat(b.covers(witness)).isTrue();
            PathPattern deep = PathPattern.compile("**/a/".repeat(PathPattern.MAX_DOUBLE_STARS - 1) + "**");
            PathPattern other = PathPattern.compile("**/b/".repeat(PathPattern.MAX_DOUBLE_STARS - 1) + "**");
            String common = PatternOverlap.commonPath(deep, other).orElseThrow();
            assertThat(deep.covers(common)).isTrue();
            assertThat(other.covers(common)).isTrue();
            assertThat(PatternOverlap.overlaps(PathPattern.compile("*a" + "?".repeat(30) + "/y"),
                    PathPattern.compile("*b" + "?".repeat(30) + "/x"))).isFalse();
            assertThat(PathPattern.compile("*a" + "?".repeat(19)).matchesEverything()).isFalse();
        });
    }
}
