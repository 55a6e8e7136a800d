package dev.drep.scanner.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.ReservationState;
import dev.drep.paths.PathPattern;
import dev.drep.paths.PatternOverlap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The conflict rule and exact overlap as tables, without a server. */
class ReservationRulesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @ParameterizedTest(name = "{0} {1} against {2} {3} {4}: conflict={5}")
    @CsvSource({
            // requester, request mode, existing holder, existing mode, existing state, conflict
            "alice, exclusive, bob,   exclusive, active,         true",
            "alice, exclusive, bob,   shared,    active,         true",
            "alice, shared,    bob,   exclusive, active,         true",
            "alice, shared,    bob,   shared,    active,         false",
            "alice, exclusive, alice, exclusive, active,         false",
            "alice, exclusive, alice, shared,    active,         false",
            "alice, shared,    alice, exclusive, active,         false",
            "alice, exclusive, bob,   exclusive, released,       false",
            "alice, exclusive, bob,   exclusive, force-released, false",
            "alice, exclusive, bob,   exclusive, swept,          false",
            "alice, exclusive, bob,   exclusive, expired,        false",
            "alice, shared,    bob,   exclusive, expired,        false",
            "'',    shared,    bob,   exclusive, active,         true",
            "'',    shared,    bob,   shared,    active,         false",
            // holders are compared exactly: another spelling is another holder
            "Alice, shared,    alice, exclusive, active,         true",
    })
    void theConflictRule(String requester, String requestMode, String holder, String mode, String state,
            boolean expected) {
        Reservation existing = reservation(holder, "src/**", mode.equals("exclusive"), state);
        assertThat(ConflictRule.conflicts(requester.isEmpty() ? null : requester, requestMode.equals("exclusive"),
                existing, NOW)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} and {1}: overlap={2}")
    @CsvSource({
            // the original system's heuristic misses the first three
            "src/a*.py,   src/*b.py,     true",
            "**/*.py,     src/**,        true",
            "src/**,      src/app.py,    true",
            "src/,        src/app.py,    true",
            "src/app.py,  src/app.py,    true",
            "src/app.py,  src/app.pyc,   false",
            "docs/**,     src/**,        false",
            // git's covering: a pattern covers what is below what it matches (src/app.py/x.md, were it a directory)
            "*.md,        src/app.py,    true",
            "*.md,        src/README.md, true",
            "build/,      build,         true",
            "src/lib,     src/lib/,      true",
            "src/lib,     src/lib/a.py,  true",
            "src/api,     src/api/handler.py, true",
            "src/*,       src/a/b.py,    true",
            "build,       build/x.o,     true",
            "src/api/*.py, src/api,      true",
            "src/api/*.py, src/apix,     false",
            "SRC/app.py,  src/app.py,    false",
            "src/[ab].py, src/c.py,      false",
            "src/[ab].py, src/b.py,      true",
            "src/?.py,    src/**/x.py,   true",
            "a/**/b,      a/b,           true",
            "test_*.py,   tests/test_x.py, true",
    })
    void overlapIsExact(String existing, String requested, boolean expected) {
        ReservationMatching matching = new ReservationMatching();
        ReservationMatcher matcher = matching.matcher("r", List.of(reservation("bob", existing, true, "active")));
        CandidatePattern candidate = new CandidatePattern(requested, matching.compile(requested),
                CandidatePattern.isSinglePath(requested));
        assertThat(matcher.overlapping(candidate)).hasSize(expected ? 1 : 0);
    }

    @Test
    void singlePathsOverlapExactlyWhatPairwiseOverlapSays() {
        Random random = new Random(7);
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            existing.add(randomPattern(random));
        }
        List<Reservation> reservations = existing.stream().map(p -> reservation("bob", p, true, "active")).toList();
        ReservationMatching matching = new ReservationMatching();
        ReservationMatcher matcher = matching.matcher("r", reservations);
        List<PathPattern> compiled = existing.stream().map(PathPattern::compile).toList();
        int checked = 0;
        int withOverlap = 0;
        for (int i = 0; i < 400; i++) {
            String path = randomPath(random);
            assertThat(CandidatePattern.isSinglePath(path)).isTrue();
            int[] fast = matcher.overlapping(new CandidatePattern(path, matching.compile(path), true));
            PathPattern candidate = PathPattern.compile(path);
            int[] exact = IntStream.range(0, compiled.size())
                    .filter(k -> PatternOverlap.overlaps(compiled.get(k), candidate)).toArray();
            assertThat(fast).as("overlaps of %s", path).containsExactly(exact);
            checked++;
            withOverlap += exact.length > 0 ? 1 : 0;
        }
        assertThat(checked).isEqualTo(400);
        // the workload must exercise both answers
        assertThat(withOverlap).isBetween(40, 360);
    }

    @ParameterizedTest(name = "{0}: single path={1}")
    @CsvSource({
            "src/app.py, true",
            "a/b/c, true",
            "app.py, false",
            "src/, false",
            "src/*.py, false",
            "src/?, false",
            "src/[ab], false",
            "src/a\\*b, false",
    })
    void singlePaths(String pattern, boolean expected) {
        assertThat(CandidatePattern.isSinglePath(pattern)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource({
            "'src/a.py   ', 'src/a.py'",
            "'src/a.py\\ ', 'src/a.py\\ '",
            "'src/a.py\\\\ ', 'src/a.py\\\\'",
            "'src/a.py', 'src/a.py'",
    })
    void trailingUnescapedSpacesAreDropped(String raw, String canonical) {
        assertThat(ReservationInput.canonical(raw)).isEqualTo(canonical);
    }

    private static Reservation reservation(String holder, String pattern, boolean exclusive, String state) {
        Instant created = NOW.minus(Duration.ofMinutes(10));
        Instant expires = state.equals("expired") || state.equals("swept") ? NOW.minusSeconds(1) : NOW.plusSeconds(600);
        ReservationState end = switch (state) {
            case "released" -> ReservationState.RELEASED;
            case "force-released" -> ReservationState.FORCE_RELEASED;
            case "swept" -> ReservationState.EXPIRED;
            default -> null;
        };
        return new Reservation(UUID.randomUUID(), "r", holder, pattern, exclusive, null, created, created, expires,
                end == null ? null : NOW.minusSeconds(1), end == null ? null : holder, end, null);
    }

    private static final String[] EXT = {"py", "md", "java"};

    private static String randomPattern(Random random) {
        String module = "m" + random.nextInt(8);
        return switch (random.nextInt(8)) {
            case 0 -> module + "/src/f" + random.nextInt(10) + "." + EXT[random.nextInt(3)];
            case 1 -> module + "/src/";
            case 2 -> module + "/src/**";
            case 3 -> module + "/*." + EXT[random.nextInt(3)];
            // anchored: a name at any depth would cover something below every path (a/b/test_1.py below a/b)
            case 4 -> module + "/**/test_" + random.nextInt(5) + "*.py";
            case 5 -> module + "/*.lock";
            case 6 -> module + "/src/f" + random.nextInt(10) + "?." + EXT[random.nextInt(3)];
            default -> module + "/src/f" + random.nextInt(10);
        };
    }

    private static String randomPath(Random random) {
        String module = "m" + random.nextInt(10);
        return switch (random.nextInt(4)) {
            case 0 -> module + "/src/f" + random.nextInt(12) + "." + EXT[random.nextInt(3)];
            case 1 -> module + "/src/f" + random.nextInt(12);
            case 2 -> module + "/test_" + random.nextInt(7) + "_x.py";
            default -> module + "/README.md";
        };
    }
}
