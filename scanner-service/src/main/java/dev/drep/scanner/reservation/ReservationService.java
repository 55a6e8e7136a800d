package dev.drep.scanner.reservation;

import dev.drep.contracts.PathConflict;
import dev.drep.contracts.ReservationCheckRequest;
import dev.drep.contracts.ReservationCheckResult;
import dev.drep.contracts.ReservationState;
import dev.drep.contracts.ReservationView;
import dev.drep.paths.PathPattern;
import dev.drep.paths.PatternSet;
import dev.drep.paths.RepositoryPath;
import dev.drep.scanner.api.ApiError;
import dev.drep.scanner.reservation.ReservationStore.Listed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * File reservations: reserve, renew, release, force-release, list, check, sweep. Reservations are advisory:
 * a reserve is always granted and its answer names the conflicts ({@link ConflictRule}), decided by exact
 * pattern overlap.
 *
 * <p><b>Concurrency.</b> A reserve runs in one transaction that first takes a transaction-scoped advisory lock
 * on the repository key, then reads the active reservations, computes conflicts and writes. Two reserves of one
 * repository therefore run one after the other, on any number of replicas: the second always sees the first's
 * reservations, so two holders can never both be told that they hold overlapping exclusive patterns alone.
 * Renew and release lock the rows they change ({@code FOR UPDATE}); they cannot create a conflict.
 *
 * <p><b>Stale.</b> A reservation is stale when it has expired, or when its holder has been idle in the
 * repository for {@code drep.reservations.idle-threshold} (30 minutes by default): no reserve, renew, release
 * or guard check by that holder there, and no renewal of the reservation itself, for that long. Only stale
 * reservations can be force-released by someone else.
 */
@ApplicationScoped
public class ReservationService {
    private static final int DEFAULT_LIST_LIMIT = 500;
    private static final int MAX_LIST_LIMIT = 5000;
    /** Requested patterns times active reservations matched on the event loop; larger requests go to a worker. */
    private static final long INLINE_PAIRS = 20_000;
    /** Paths of a check matched on the event loop (each is one pass of a DFA); more go to a worker. */
    private static final int INLINE_PATHS = 1_000;

    private final ReservationStore store;
    private final ReservationMatching matching;
    private final ReservationInput input;
    private final ReservationClock clock;
    private final ReservationConfig config;
    private final Vertx vertx;

    public ReservationService(ReservationStore store, ReservationMatching matching, ReservationInput input,
            ReservationClock clock, ReservationConfig config, Vertx vertx) {
        this.vertx = vertx;
        this.store = store;
        this.matching = matching;
        this.input = input;
        this.clock = clock;
        this.config = config;
    }

    /** Reserves patterns for a holder; always granted, conflicts reported. */
    public Uni<ReserveResult> reserve(String repositoryKey, ReserveRequest request) {
        if (request == null) {
            throw ApiError.badRequest("the request body is required: {\"holder\": \"alice\", \"paths\": [\"src/**\"]}");
        }
        String repository = input.repository(repositoryKey);
        String holder = input.holder(request.holder());
        String reason = input.reason(request.reason(), "reason");
        Duration ttl = input.ttl(request.ttlSeconds());
        boolean exclusive = request.exclusive() == null || request.exclusive();
        List<String> warnings = new ArrayList<>();
        List<CandidatePattern> candidates = input.patterns(request.paths(),
                Boolean.TRUE.equals(request.allowMatchEverything()), warnings);
        return store.lockedWrite(repository, live -> {
            // taken after the lock: a reserve that waited judges expiry at the time it actually runs
            Instant now = clock.now();
            List<Listed> active = live.stream().filter(l -> l.reservation().expiresAt().isAfter(now)).toList();
            return offloadIf((long) candidates.size() * active.size() > INLINE_PAIRS,
                    () -> new Decided(decide(repository, holder, exclusive, candidates, active, now), now));
        }, (connection, decided) -> store.grant(connection, repository, holder, decided.decision().newPatterns(),
                        decided.decision().refresh(), exclusive, reason, decided.now(), decided.now().plus(ttl))
                .map(granted -> result(candidates, granted, decided, warnings)));
    }

    /** A reserve's decision and the time it was taken at. */
    private record Decided(Decision decision, Instant now) {
    }

    /** What a reserve decided before writing: the conflicts, and which patterns are new or extend the holder's own. */
    private record Decision(List<PatternConflict> conflicts, List<String> newPatterns, List<UUID> refresh) {
    }

    private static ReserveResult result(List<CandidatePattern> candidates, List<Reservation> granted, Decided decided,
            List<String> warnings) {
        Map<String, Reservation> byPattern = granted.stream()
                .collect(Collectors.toMap(Reservation::pattern, r -> r, (a, b) -> a));
        List<ReservationView> views = new ArrayList<>(candidates.size());
        for (CandidatePattern candidate : candidates) {
            Reservation r = byPattern.get(candidate.text());
            if (r != null) {
                views.add(r.view(decided.now(), false));
            }
        }
        return new ReserveResult(views, decided.decision().conflicts(), warnings);
    }

    private Decision decide(String repository, String holder, boolean exclusive, List<CandidatePattern> candidates,
            List<Listed> active, Instant now) {
        List<Reservation> reservations = active.stream().map(Listed::reservation).toList();
        ReservationMatcher matcher = matching.matcher(repository, reservations);
        List<PatternConflict> conflicts = new ArrayList<>();
        int exampleBudget = config.maxExamplePaths();
        Map<String, UUID> ownIdentical = new HashMap<>();
        for (Reservation r : reservations) {
            if (r.holder().equals(holder) && r.exclusive() == exclusive) {
                ownIdentical.putIfAbsent(r.pattern(), r.id());
            }
        }
        // one view per conflicting reservation, however many requested patterns meet it
        ReservationView[] views = new ReservationView[active.size()];
        List<String> newPatterns = new ArrayList<>();
        List<UUID> refresh = new ArrayList<>();
        for (CandidatePattern candidate : candidates) {
            PatternSet.PathOverlap pathOverlap = matcher.overlapOfPath(candidate);
            int[] overlapping = pathOverlap != null ? pathOverlap.indices() : matcher.overlapping(candidate);
            for (int index : overlapping) {
                Listed other = active.get(index);
                if (!ConflictRule.conflicts(holder, exclusive, other.reservation(), now)) {
                    continue;
                }
                // The example is a path both cover; a named path is the natural one when the other covers it.
                PathPattern otherPattern = matcher.pattern(index);
                String example = null;
                if (pathOverlap != null) {
                    example = pathOverlap.coversAsFile(index) ? candidate.text()
                            : pathOverlap.coversAsDirectory(index) ? candidate.text() + "/" : null;
                } else if (candidate.singlePath()) {
                    example = coveredExample(candidate.text(), otherPattern);
                }
                if (example == null && CandidatePattern.isSinglePath(other.reservation().pattern())) {
                    example = coveredExample(other.reservation().pattern(), candidate.compiled());
                }
                if (example == null && exampleBudget > 0) {
                    exampleBudget--;
                    example = matching.commonPath(candidate.compiled(), otherPattern).orElse(null);
                }
                if (views[index] == null) {
                    views[index] = view(other, now);
                }
                conflicts.add(new PatternConflict(candidate.text(), example, views[index]));
            }
            UUID existing = ownIdentical.get(candidate.text());
            if (existing != null) {
                refresh.add(existing);
            } else {
                newPatterns.add(candidate.text());
            }
        }
        return new Decision(conflicts, newPatterns, refresh);
    }

    /** @return {@code path} (with a trailing slash when only its directory is covered) if {@code pattern} covers it */
    private static String coveredExample(String path, PathPattern pattern) {
        if (pattern.covers(path, false)) {
            return path;
        }
        return pattern.covers(path, true) ? path + "/" : null;
    }

    /**
     * Runs matching work inline when it is small (the common case: tens of patterns against a few hundred
     * reservations take about a millisecond) and on a worker thread when it is large, so that a request with
     * hundreds of globs against thousands of reservations, or a check of thousands of paths, does not stall the
     * event loop.
     */
    private <T> Uni<T> offloadIf(boolean large, Supplier<T> task) {
        if (!large) {
            return Uni.createFrom().item(task);
        }
        return vertx.executeBlocking(Uni.createFrom().item(task), false);
    }

    /** Extends the holder's active reservations; expired or released ones are reported, never revived. */
    public Uni<RenewResult> renew(String repositoryKey, RenewRequest request) {
        if (request == null) {
            throw ApiError.badRequest("the request body is required: {\"holder\": \"alice\", \"ids\": [\"...\"]}");
        }
        String repository = input.repository(repositoryKey);
        String holder = input.holder(request.holder());
        Duration ttl = input.ttl(request.ttlSeconds());
        List<UUID> ids = input.ids(request.ids());
        List<String> patterns = input.patternTexts(request.patterns());
        requireSelection(ids, patterns, "renew");
        return store.inTransaction(connection -> select(connection, repository, holder, ids, patterns, "renew")
                .chain(selection -> {
                    Instant now = clock.now();
                    Instant cap = now.plus(config.maxTtl());
                    List<UUID> renewIds = new ArrayList<>();
                    List<Unchanged> notRenewed = new ArrayList<>(selection.unmatched("no active reservation of "
                            + holder + " has this pattern"));
                    for (Reservation r : selection.reservations()) {
                        ReservationState state = r.state(now);
                        if (state != ReservationState.ACTIVE) {
                            notRenewed.add(new Unchanged(r.id().toString(), r.pattern(), ended(r, state)));
                            continue;
                        }
                        // each is extended by the ttl from its own expiry, to at most the cap (in the store)
                        renewIds.add(r.id());
                    }
                    return store.renew(connection, renewIds, ttl, cap, now)
                            .call(() -> store.touch(connection, repository, holder, now))
                            .map(renewed -> new RenewResult(views(inOrder(renewed, selection), now), notRenewed));
                }));
    }

    /** Releases the holder's active reservations; idempotent. */
    public Uni<ReleaseResult> release(String repositoryKey, ReleaseRequest request) {
        if (request == null) {
            throw ApiError.badRequest("the request body is required: {\"holder\": \"alice\", \"ids\": [\"...\"]}");
        }
        String repository = input.repository(repositoryKey);
        String holder = input.holder(request.holder());
        List<UUID> ids = input.ids(request.ids());
        List<String> patterns = input.patternTexts(request.patterns());
        requireSelection(ids, patterns, "release");
        return store.inTransaction(connection -> select(connection, repository, holder, ids, patterns, "release")
                .chain(selection -> {
                    Instant now = clock.now();
                    List<UUID> releaseIds = new ArrayList<>();
                    List<Unchanged> notReleased = new ArrayList<>(selection.unmatched("no active reservation of "
                            + holder + " has this pattern"));
                    for (Reservation r : selection.reservations()) {
                        ReservationState state = r.state(now);
                        if (state == ReservationState.ACTIVE) {
                            releaseIds.add(r.id());
                        } else {
                            notReleased.add(new Unchanged(r.id().toString(), r.pattern(), ended(r, state)));
                        }
                    }
                    return store.end(connection, releaseIds, now, holder, ReservationState.RELEASED, null)
                            .call(() -> store.touch(connection, repository, holder, now))
                            .map(released -> new ReleaseResult(views(inOrder(released, selection), now),
                                    notReleased));
                }));
    }

    /**
     * Releases another holder's reservation, only when it is stale; an already ended one is answered as it is.
     *
     * @throws ApiError 404 for an unknown id, 409 when the reservation is active and not stale
     */
    public Uni<ReservationView> forceRelease(String repositoryKey, String idText, ForceReleaseRequest request) {
        String repository = input.repository(repositoryKey);
        UUID id = input.id(idText);
        if (request == null || request.by() == null || request.by().isBlank()) {
            throw ApiError.badRequest("field 'by' is required: who forces the release (it is recorded)");
        }
        String by = input.optionalHolder(request.by());
        String note = input.reason(request.note(), "note");
        return store.inTransaction(connection -> store.lockRepository(connection, repository)
                .chain(() -> store.byIdsForUpdate(connection, repository, List.of(id)))
                .chain(found -> {
                    if (found.isEmpty()) {
                        throw notFound(id, repository);
                    }
                    Reservation r = found.get(0);
                    Instant now = clock.now();
                    if (r.endKind() != null) {
                        return Uni.createFrom().item(r.view(now, false));
                    }
                    return store.holderSeenAt(connection, repository, r.holder()).chain(seenAt -> {
                        if (!isStale(r, seenAt, now)) {
                            throw new ApiError(409, "not_stale", "reservation " + r.id() + " (\"" + r.pattern()
                                    + "\") of " + r.holder() + " is active and not stale: " + r.holder()
                                    + " was last active here at " + lastActive(r, seenAt) + "; it becomes stale at "
                                    + staleAt(r, seenAt) + " unless " + r.holder() + " is active again. Ask "
                                    + r.holder() + " to release it.");
                        }
                        return store.end(connection, List.of(id), now, by, ReservationState.FORCE_RELEASED, note)
                                .map(ended -> (ended.isEmpty() ? r : ended.get(0)).view(now, false));
                    });
                }));
    }

    /** @return the repository's reservations, newest first: active ones only ({@code state=active}) or all */
    public Uni<ReservationList> list(String repositoryKey, String state, String holderFilter, Integer limit) {
        String repository = input.repository(repositoryKey);
        String which = state == null || state.isBlank() ? "active" : state.strip().toLowerCase(Locale.ROOT);
        if (!which.equals("active") && !which.equals("all")) {
            throw ApiError.badRequest("query parameter 'state' must be 'active' or 'all', got '" + state + "'");
        }
        int max = limit == null ? DEFAULT_LIST_LIMIT : limit;
        if (max < 1 || max > MAX_LIST_LIMIT) {
            throw ApiError.badRequest("query parameter 'limit' must be between 1 and " + MAX_LIST_LIMIT + ", got " + limit);
        }
        String holder = input.optionalHolder(holderFilter);
        Instant now = clock.now();
        return store.list(repository, which.equals("active"), holder, now, max)
                .map(rows -> new ReservationList(rows.stream().map(row -> view(row, now)).toList()));
    }

    /** @return one reservation; 404 when the repository has none with this id */
    public Uni<ReservationView> get(String repositoryKey, String idText) {
        String repository = input.repository(repositoryKey);
        UUID id = input.id(idText);
        return store.find(repository, id).map(row -> {
            if (row == null) {
                throw notFound(id, repository);
            }
            return view(row, clock.now());
        });
    }

    /** The guard's question: which of these paths lie under another holder's active exclusive reservation? */
    public Uni<ReservationCheckResult> check(String repositoryKey, ReservationCheckRequest request) {
        if (request == null) {
            throw ApiError.badRequest("the request body is required: {\"holder\": \"alice\", \"paths\": [\"src/app.py\"]}");
        }
        String repository = input.repository(repositoryKey);
        String holder = input.optionalHolder(request.holder());
        List<String> paths = input.paths(request.paths());
        return conflicts(repository, holder, paths, true).map(ReservationCheckResult::new);
    }

    /**
     * The (path, reservation) pairs where a path lies under an active exclusive reservation of a holder other than
     * {@code holder}, in path order.
     *
     * @param repository     a repository key
     * @param holder         who changes the paths, or null (then every exclusive reservation counts)
     * @param paths          file paths relative to the repository root
     * @param recordActivity whether to count this as activity of {@code holder} (guard checks do; reviews don't)
     */
    public Uni<List<PathConflict>> conflicts(String repository, String holder, List<String> paths,
            boolean recordActivity) {
        Instant now = clock.now();
        Uni<List<Listed>> active = store.active(store.client(), repository, now);
        if (recordActivity && holder != null) {
            // on a second pooled connection, alongside the read
            active = Uni.combine().all().unis(active, store.touch(store.client(), repository, holder, now))
                    .asTuple().map(both -> both.getItem1());
        }
        return active.chain(rows -> rows.isEmpty() ? Uni.createFrom().item(List.<PathConflict>of())
                : offloadIf(paths.size() > INLINE_PATHS, () -> covering(repository, holder, paths, rows, now)));
    }

    private List<PathConflict> covering(String repository, String holder, List<String> paths, List<Listed> rows,
            Instant now) {
        ReservationMatcher matcher = matching.matcher(repository, rows.stream().map(Listed::reservation).toList());
        Set<String> distinct = new LinkedHashSet<>();
        for (String path : paths) {
            distinct.add(RepositoryPath.normalize(path));
        }
        List<PathConflict> found = new ArrayList<>();
        for (String path : distinct) {
            if (path.isEmpty()) {
                continue;
            }
            for (int index : matcher.covering(path)) {
                Listed row = rows.get(index);
                if (ConflictRule.conflicts(holder, false, row.reservation(), now)) {
                    found.add(new PathConflict(path, view(row, now)));
                }
            }
        }
        return found;
    }

    /** Marks expired reservations and deletes ended ones past the retention; run periodically. */
    public Uni<ReservationStore.SweepResult> sweep() {
        Instant now = clock.now();
        return store.sweep(now, now.minus(config.retention()));
    }

    /**
     * The stale rule: an unended reservation is stale when it has expired, or when neither it was renewed nor its
     * holder was active in the repository (reserve, renew, release, guard check) within the idle threshold.
     *
     * @param holderSeenAt the holder's last activity in the repository, or null when none was recorded
     */
    public boolean isStale(Reservation reservation, Instant holderSeenAt, Instant now) {
        if (reservation.endKind() != null) {
            return false;
        }
        if (!reservation.expiresAt().isAfter(now)) {
            return true;
        }
        return !now.isBefore(staleAt(reservation, holderSeenAt));
    }

    private Instant staleAt(Reservation reservation, Instant holderSeenAt) {
        Instant idleFrom = lastActive(reservation, holderSeenAt);
        Instant idle = idleFrom.plus(config.idleThreshold());
        return idle.isBefore(reservation.expiresAt()) ? idle : reservation.expiresAt();
    }

    private static Instant lastActive(Reservation reservation, Instant holderSeenAt) {
        return holderSeenAt != null && holderSeenAt.isAfter(reservation.renewedAt()) ? holderSeenAt
                : reservation.renewedAt();
    }

    private ReservationView view(Listed row, Instant now) {
        return row.reservation().view(now, isStale(row.reservation(), row.holderSeenAt(), now));
    }

    /** The reservations a renew or release names, checked to exist and to be the holder's. */
    private record Selection(List<Reservation> reservations, List<String> unmatchedPatterns) {
        List<Unchanged> unmatched(String reason) {
            return unmatchedPatterns.stream().map(p -> new Unchanged(null, p, reason)).toList();
        }
    }

    /**
     * Takes the repository's lock (as a reserve does: a change of some reservations of a set splits the set, and
     * splits of one repository must not race, see {@link ReservationStore}), then selects the reservations named.
     */
    private Uni<Selection> select(SqlConnection connection, String repository, String holder, List<UUID> ids,
            List<String> patterns, String verb) {
        Uni<List<Reservation>> lockedById = store.lockRepository(connection, repository)
                .chain(() -> store.byIdsForUpdate(connection, repository, ids));
        return lockedById.chain(byId -> {
            Set<UUID> found = byId.stream().map(Reservation::id).collect(Collectors.toSet());
            for (UUID id : ids) {
                if (!found.contains(id)) {
                    throw notFound(id, repository);
                }
            }
            for (Reservation r : byId) {
                if (!r.holder().equals(holder)) {
                    throw new ApiError(409, "not_holder", "reservation " + r.id() + " (\"" + r.pattern() + "\") is held by "
                            + r.holder() + ", not " + holder + "; only its holder can " + verb + " it"
                            + (verb.equals("release") ? " (a stale one can be force-released)" : ""));
                }
            }
            return store.byPatternsForUpdate(connection, repository, holder, patterns).map(byPattern -> {
                // in the order the request named them: ids first, then patterns
                Map<UUID, Reservation> named = new HashMap<>();
                byId.forEach(r -> named.put(r.id(), r));
                Map<UUID, Reservation> ordered = new LinkedHashMap<>();
                ids.forEach(id -> ordered.put(id, named.get(id)));
                List<String> unmatched = new ArrayList<>();
                for (String pattern : patterns) {
                    boolean matched = false;
                    for (Reservation r : byPattern) {
                        if (r.pattern().equals(pattern)) {
                            ordered.putIfAbsent(r.id(), r);
                            matched = true;
                        }
                    }
                    if (!matched) {
                        unmatched.add(pattern);
                    }
                }
                return new Selection(List.copyOf(ordered.values()), unmatched);
            });
        });
    }

    /** @return {@code changed} in the order the request named them (UPDATE ... RETURNING has no order) */
    private static List<Reservation> inOrder(List<Reservation> changed, Selection selection) {
        Map<UUID, Reservation> byId = new HashMap<>();
        changed.forEach(r -> byId.put(r.id(), r));
        List<Reservation> ordered = new ArrayList<>(changed.size());
        for (Reservation r : selection.reservations()) {
            Reservation updated = byId.get(r.id());
            if (updated != null) {
                ordered.add(updated);
            }
        }
        return ordered;
    }

    private static List<ReservationView> views(List<Reservation> reservations, Instant now) {
        return reservations.stream().map(r -> r.view(now, false)).toList();
    }

    private static void requireSelection(List<UUID> ids, List<String> patterns, String verb) {
        if (ids.isEmpty() && patterns.isEmpty()) {
            throw ApiError.badRequest("name the reservations to " + verb + ": field 'ids' (reservation ids) or field"
                    + " 'patterns' (patterns of your reservations), or both");
        }
    }

    private static String ended(Reservation r, ReservationState state) {
        return switch (state) {
            case EXPIRED -> "expired at " + r.expiresAt();
            case RELEASED -> "released at " + r.endedAt() + " by " + r.endedBy();
            case FORCE_RELEASED -> "force-released at " + r.endedAt() + " by " + r.endedBy();
            case ACTIVE -> "active";
        };
    }

    private static ApiError notFound(UUID id, String repository) {
        return ApiError.notFound("no reservation with id " + id + " in repository " + repository);
    }
}
