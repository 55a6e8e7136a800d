package dev.drep.scanner.reservation;

import dev.drep.paths.MatchOptions;
import dev.drep.paths.PathPattern;
import dev.drep.paths.PatternOverlap;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Compiled patterns and per-repository matchers, cached. Patterns are immutable and a reservation's pattern
 * never changes, so a repository's matcher is valid for exactly the list of active reservation ids it was
 * built from: each request loads the active ids (it must, to see other replicas' writes) and reuses the
 * matcher when they are the same. Reusing it also keeps its lazily built DFA warm, which is what makes
 * guard checks cheap.
 */
@ApplicationScoped
public class ReservationMatching {
    private static final int MAX_PATTERNS = 8192;
    private static final int MAX_REPOSITORIES = 512;
    private static final int MAX_COMMON_PATHS = 8192;

    private final Map<String, PathPattern> patterns = lru(MAX_PATTERNS);
    private final Map<String, CachedMatcher> matchers = lru(MAX_REPOSITORIES);
    private final Map<PatternPair, Optional<String>> commonPaths = lru(MAX_COMMON_PATHS);

    private record CachedMatcher(List<UUID> ids, ReservationMatcher matcher) {
    }

    /** Two compiled patterns; equal when their texts and options are. */
    private record PatternPair(PathPattern first, PathPattern second) {
    }

    /**
     * {@link PatternOverlap#commonPath}, remembered per pair of patterns: each answer is a shortest-path search
     * over the product of the two automata (about 15 microseconds), and an agent that reserves the same paths again
     * meets the same reservations again. The answer depends on the two patterns alone, so it never goes stale.
     */
    public Optional<String> commonPath(PathPattern first, PathPattern second) {
        PatternPair pair = new PatternPair(first, second);
        synchronized (commonPaths) {
            Optional<String> known = commonPaths.get(pair);
            if (known != null) {
                return known;
            }
        }
        Optional<String> found = PatternOverlap.commonPath(first, second);
        synchronized (commonPaths) {
            commonPaths.put(pair, found);
        }
        return found;
    }

    /** @return the compiled (case-sensitive) pattern for canonical, already validated text */
    public PathPattern compile(String canonical) {
        synchronized (patterns) {
            PathPattern known = patterns.get(canonical);
            if (known != null) {
                return known;
            }
        }
        PathPattern compiled = PathPattern.compile(canonical, MatchOptions.CASE_SENSITIVE);
        synchronized (patterns) {
            patterns.put(canonical, compiled);
        }
        return compiled;
    }

    /** @return a pattern compiled by the policy, remembered so that the next request reuses its automaton */
    public PathPattern remember(PathPattern validated) {
        synchronized (patterns) {
            PathPattern known = patterns.putIfAbsent(validated.text(), validated);
            return known != null ? known : validated;
        }
    }

    /** @return the matcher over {@code active} (in that order) for {@code repository} */
    public ReservationMatcher matcher(String repository, List<Reservation> active) {
        List<UUID> ids = new ArrayList<>(active.size());
        for (Reservation reservation : active) {
            ids.add(reservation.id());
        }
        synchronized (matchers) {
            CachedMatcher cached = matchers.get(repository);
            if (cached != null && cached.ids().equals(ids)) {
                return cached.matcher();
            }
        }
        List<PathPattern> compiled = new ArrayList<>(active.size());
        for (Reservation reservation : active) {
            compiled.add(compile(reservation.pattern()));
        }
        ReservationMatcher matcher = new ReservationMatcher(compiled);
        synchronized (matchers) {
            matchers.put(repository, new CachedMatcher(List.copyOf(ids), matcher));
        }
        return matcher;
    }

    private static <K, V> Map<K, V> lru(int capacity) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
