package dev.drep.scanner.reservation;

import dev.drep.contracts.ReservationState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * SQL for reservations in schema {@code scanner}, on the reactive pool directly: the reserve path is the hot
 * one, and it needs statements an ORM does not give (a transaction-scoped advisory lock, array inserts,
 * data-modifying CTEs). Times are bound as parameters from {@link ReservationClock}, never {@code now()}.
 *
 * <p>Reservations are stored as sets, one row of {@code scanner.reservation_set} per reserve call (the patterns it
 * granted together share every other attribute; migration V12_3 explains ids and splits), and read through the
 * view {@code scanner.reservation}, one row per reservation. A change of some members of a set splits it first,
 * in the SQL functions {@code reservation_extend}, {@code reservation_renew} and {@code reservation_end}; every
 * transaction that changes reservations therefore holds the repository's lock ({@link #lockRepository}) before it
 * reads them, so that no split races another one.
 */
@ApplicationScoped
public class ReservationStore {
    /** First half of the advisory lock key: "drep" in ASCII, so that other users of advisory locks keep out of the way. */
    static final int LOCK_CLASS = 0x64726570;

    /** The columns of a reservation; every statement aliases the view (or a function's result) as {@code r}. */
    private static final String COLUMNS = "r.id, r.repository, r.holder, r.pattern, r.exclusive, r.reason, r.created_at,"
            + " r.renewed_at, r.expires_at, r.ended_at, r.ended_by, r.end_kind, r.end_note";
    /**
     * The columns of a set {@code s}, expanded to its reservations in Java ({@link #expanded}): on the hot path this
     * reads a tenth of the rows the view gives and computes no id in SQL.
     */
    private static final String SET_COLUMNS = "s.origin, s.members, s.patterns, s.repository, s.holder, s.exclusive,"
            + " s.reason, s.created_at, s.renewed_at, s.expires_at, s.ended_at, s.ended_by, s.end_kind, s.end_note";
    /** The most reservations one set holds: member numbers are {@code smallint}s. */
    static final int MAX_MEMBERS = Short.MAX_VALUE + 1;
    /** The last 16 bits of a set's origin: its members' numbers. */
    private static final long MEMBER_BITS = 0xFFFFL;
    /**
     * Records a holder's activity; part of the reserve statement, so it uses that statement's parameters:
     * $1 repository, $2 holder, $5 now.
     */
    private static final String TOUCH_SQL = "INSERT INTO scanner.reservation_activity (repository, holder, seen_at)"
            + " VALUES ($1, $2, $5) ON CONFLICT (repository, holder)"
            + " DO UPDATE SET seen_at = GREATEST(reservation_activity.seen_at, EXCLUDED.seen_at)";

    /** The live (not ended) sets of repository $1, expired or not. */
    private static final String LIVE_SQL = "SELECT " + SET_COLUMNS + ", a.seen_at FROM scanner.reservation_set s"
            + " LEFT JOIN scanner.reservation_activity a ON a.repository = s.repository AND a.holder = s.holder"
            + " WHERE s.repository = $1 AND s.ended_at IS NULL";
    /** Reservations in the order of {@code ORDER BY created_at, id} (PostgreSQL compares UUIDs as unsigned bytes). */
    private static final Comparator<Reservation> OLDEST_FIRST = Comparator.comparing(Reservation::createdAt)
            .thenComparing(Reservation::id, (a, b) -> {
                int most = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
                return most != 0 ? most : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
            });

    private final Pool pool;

    public ReservationStore(Pool pool) {
        this.pool = pool;
    }

    /** A reservation with when its holder was last seen in its repository (null when never recorded). */
    record Listed(Reservation reservation, Instant holderSeenAt) {
    }

    /** What a sweep did. */
    public record SweepResult(int expired, int deleted) {
    }

    /** Runs {@code work} in one transaction. */
    <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /** @return the pool, for single statements outside a transaction */
    SqlClient client() {
        return pool;
    }

    /**
     * Serializes reserve calls of one repository until the transaction ends. A separate statement on purpose:
     * in READ COMMITTED each statement takes a new snapshot, so the next SELECT sees everything committed by the
     * transaction that held the lock before; taking the lock inside the SELECT would use a snapshot from before
     * the wait. Two keys that share a hash merely wait for each other.
     *
     * <p>The same statement turns sequential scans off for the rest of the transaction ({@code set_config(...,
     * true)} is transaction-local), for the read of the active reservations: every release leaves a dead entry in the
     * partial index of live rows until the next vacuum, so after some churn the index looks as many pages long as a
     * good part of the table, and the planner was seen to read the whole table (every ended reservation of the
     * retention period) instead of the hundred live entries: 26,000 rows per reserve on average in a load run, about
     * 50 ms against 0.3 ms by the index on a busy machine. The reserve's other statements look rows up by key.
     */
    Uni<Void> lockRepository(SqlConnection connection, String repository) {
        return connection.preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2)),"
                        + " set_config('enable_seqscan', 'off', true)")
                .execute(Tuple.of(LOCK_CLASS, repository)).replaceWithVoid();
    }

    /**
     * Runs a reserve's transaction in two round trips instead of five. {@code BEGIN}, the repository's lock
     * ({@link #lockRepository}) and the read of its live reservations go to PostgreSQL together, pipelined on one
     * connection: the server runs them in order, so the read still takes its snapshot after the lock is granted and
     * sees everything the previous holder of the lock committed. Then {@code write} and {@code COMMIT} go together.
     * The read leaves expired-but-unswept reservations in ({@code decide} judges expiry at the time it runs, after the
     * lock); on any failure the transaction is rolled back before the connection returns to the pool.
     *
     * @param decide what to write, from the live reservations (oldest first)
     * @param write  the writing statement, given the decision
     */
    <D, T> Uni<T> lockedWrite(String repository, Function<List<Listed>, Uni<D>> decide,
            BiFunction<SqlConnection, D, Uni<T>> write) {
        return pool.withConnection(connection -> {
            // subscribed together, so the client writes the three commands before reading any answer
            Uni<List<Listed>> live = Uni.combine().all()
                    .unis(connection.query("BEGIN").execute(), lockRepository(connection, repository),
                            connection.preparedQuery(LIVE_SQL).execute(Tuple.of(repository)))
                    .with((begun, locked, rows) -> expanded(rows));
            return live.chain(active -> decide.apply(active))
                    .chain(decision -> Uni.combine().all()
                            .unis(write.apply(connection, decision), connection.query("COMMIT").execute())
                            .with((written, committed) -> written))
                    .onFailure().call(() -> connection.query("ROLLBACK").execute().onFailure().recoverWithNull());
        });
    }

    /**
     * @return the repository's active reservations with their holders' last activity, oldest first (a stable
     *     order: matchers are cached by it)
     */
    Uni<List<Listed>> active(SqlClient client, String repository, Instant now) {
        return client.preparedQuery(LIVE_SQL + " AND s.expires_at > $2")
                .execute(Tuple.of(repository, time(now)))
                .map(ReservationStore::expanded);
    }

    /**
     * Inserts the new reservations as one set, extends the holder's identical ones ({@code refreshIds}, through
     * {@code reservation_extend}, which splits their sets where needed) and records the holder's activity, in one
     * statement. The new reservations are not read back: their values are the ones written.
     *
     * @return the inserted and extended reservations
     */
    Uni<List<Reservation>> grant(SqlConnection connection, String repository, String holder, List<String> newPatterns,
            List<UUID> refreshIds, boolean exclusive, String reason, Instant now, Instant expires) {
        UUID origin = newOrigin(now);
        List<Reservation> inserted = new ArrayList<>(newPatterns.size());
        for (int member = 0; member < newPatterns.size(); member++) {
            inserted.add(new Reservation(memberId(origin, member), repository, holder, newPatterns.get(member), exclusive,
                    reason, now, now, expires, null, null, null, null));
        }
        String insert = "INSERT INTO scanner.reservation_set (origin, part, repository, holder, exclusive, reason,"
                + " created_at, renewed_at, expires_at, members, patterns)"
                + " SELECT $7, 0, $1, $2, $3, $4, $5, $5, $6,"
                + " ARRAY(SELECT generate_series(0, cardinality($8::text[]) - 1))::smallint[], $8::text[]"
                + " WHERE cardinality($8::text[]) > 0";
        List<Object> parameters = new ArrayList<>(Arrays.asList(repository, holder, exclusive, reason, time(now),
                time(expires), origin, newPatterns.toArray(String[]::new)));
        if (refreshIds.isEmpty()) {
            return connection.preparedQuery("WITH touched AS (" + TOUCH_SQL + ") " + insert)
                    .execute(Tuple.from(parameters)).map(rows -> inserted);
        }
        parameters.add(refreshIds.toArray(UUID[]::new));
        // a release by the same holder may have ended one since it was read: never revived
        return connection.preparedQuery("WITH touched AS (" + TOUCH_SQL + "), inserted AS (" + insert + "),"
                        + " refreshed AS (SELECT " + COLUMNS + " FROM scanner.reservation_extend($9::uuid[], $6, $5, $4) r)"
                        + " SELECT * FROM refreshed")
                .execute(Tuple.from(parameters))
                .map(rows -> {
                    List<Reservation> granted = new ArrayList<>(inserted);
                    granted.addAll(reservations(rows));
                    return granted;
                });
    }

    /** @return the id of member {@code member} of the set with this origin (SQL: {@code reservation_id}) */
    static UUID memberId(UUID origin, int member) {
        return member == 0 ? origin
                : new UUID(origin.getMostSignificantBits(), origin.getLeastSignificantBits() & ~MEMBER_BITS | member);
    }

    /**
     * @return a new set's origin: time-ordered like a version 7 UUID (milliseconds first, so that the primary key
     *     grows at its end), random otherwise, with the last 16 bits zero for the members' numbers
     */
    static UUID newOrigin(Instant now) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (now.toEpochMilli() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L) & ~MEMBER_BITS;
        return new UUID(most, least);
    }

    /**
     * @return the origins of the sets that may hold these ids: each id itself (a reservation carried over from before
     *     sets, or member 0) and the id with its member number cleared
     */
    private static UUID[] origins(List<UUID> ids) {
        List<UUID> origins = new ArrayList<>(ids.size() * 2);
        for (UUID id : ids) {
            origins.add(id);
            UUID origin = new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits() & ~MEMBER_BITS);
            if (!origin.equals(id)) {
                origins.add(origin);
            }
        }
        return origins.toArray(UUID[]::new);
    }

    /** Records that {@code holder} did something in {@code repository} at {@code now}. */
    Uni<Void> touch(SqlClient client, String repository, String holder, Instant now) {
        return client.preparedQuery("INSERT INTO scanner.reservation_activity (repository, holder, seen_at)"
                        + " VALUES ($1, $2, $3) ON CONFLICT (repository, holder)"
                        + " DO UPDATE SET seen_at = GREATEST(reservation_activity.seen_at, EXCLUDED.seen_at)")
                .execute(Tuple.of(repository, holder, time(now))).replaceWithVoid();
    }

    /**
     * @return the reservations of {@code repository} with these ids, locked until the transaction ends. Selected by
     *     their sets' keys alone and filtered by repository here: with the repository in the WHERE clause PostgreSQL
     *     may combine the primary key with the repository's index, which holds every ended set of the retention
     *     period.
     */
    Uni<List<Reservation>> byIdsForUpdate(SqlConnection connection, String repository, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return connection.preparedQuery("SELECT " + COLUMNS + " FROM scanner.reservation r WHERE r.origin = ANY($2::uuid[])"
                        + " AND r.id = ANY($1::uuid[]) ORDER BY r.created_at, r.id FOR UPDATE")
                .execute(Tuple.of(ids.toArray(UUID[]::new), origins(ids)))
                .map(rows -> reservations(rows).stream().filter(r -> r.repository().equals(repository)).toList());
    }

    /**
     * @return the holder's reservations of {@code repository} with one of these patterns that have not been
     *     ended (possibly expired), locked until the transaction ends
     */
    Uni<List<Reservation>> byPatternsForUpdate(SqlConnection connection, String repository, String holder,
            List<String> patterns) {
        if (patterns.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return connection.preparedQuery("SELECT " + COLUMNS + " FROM scanner.reservation r WHERE r.repository = $1"
                        + " AND r.holder = $2 AND r.pattern = ANY($3::text[]) AND r.ended_at IS NULL"
                        + " ORDER BY r.created_at, r.id FOR UPDATE")
                .execute(Tuple.of(repository, holder, patterns.toArray(String[]::new)))
                .map(ReservationStore::reservations);
    }

    /**
     * Renews reservations that have not ended: each expires {@code ttl} later than it did, but not after {@code cap}.
     *
     * @return the renewed reservations
     */
    Uni<List<Reservation>> renew(SqlConnection connection, List<UUID> ids, Duration ttl, Instant cap, Instant now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return connection.preparedQuery("SELECT " + COLUMNS + " FROM scanner.reservation_renew($1::uuid[],"
                        + " $2::bigint * interval '1 microsecond', $3, $4) r")
                .execute(Tuple.of(ids.toArray(UUID[]::new), ttl.toNanos() / 1000, time(cap), time(now)))
                .map(ReservationStore::reservations);
    }

    /** Ends reservations that have not ended yet; @return those it ended */
    Uni<List<Reservation>> end(SqlConnection connection, List<UUID> ids, Instant now, String by, ReservationState kind,
            String note) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return connection.preparedQuery("SELECT " + COLUMNS + " FROM scanner.reservation_end($1::uuid[], $2, $3, $4, $5) r")
                .execute(Tuple.from(Arrays.asList(ids.toArray(UUID[]::new), time(now), by, kind.name(), note)))
                .map(ReservationStore::reservations);
    }

    /** @return when the holder was last seen in the repository, or null */
    Uni<Instant> holderSeenAt(SqlClient client, String repository, String holder) {
        return client.preparedQuery("SELECT seen_at FROM scanner.reservation_activity WHERE repository = $1 AND holder = $2")
                .execute(Tuple.of(repository, holder))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? instant(it.next().getOffsetDateTime("seen_at")) : null;
                });
    }

    /**
     * @param activeOnly only reservations neither ended nor expired at {@code now}
     * @param holder     only this holder's, or null for everyone's
     * @return newest first, at most {@code limit}
     */
    Uni<List<Listed>> list(String repository, boolean activeOnly, String holder, Instant now, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + ", a.seen_at FROM scanner.reservation r"
                        + " LEFT JOIN scanner.reservation_activity a ON a.repository = r.repository AND a.holder = r.holder"
                        + " WHERE r.repository = $1 AND (NOT $2 OR (r.ended_at IS NULL AND r.expires_at > $3))"
                        + " AND ($4::text IS NULL OR r.holder = $4) ORDER BY r.created_at DESC, r.id LIMIT $5")
                .execute(Tuple.from(Arrays.asList(repository, activeOnly, time(now), holder, limit)))
                .map(ReservationStore::listed);
    }

    /** @return one reservation with its holder's last activity, or null */
    Uni<Listed> find(String repository, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + ", a.seen_at FROM scanner.reservation r"
                        + " LEFT JOIN scanner.reservation_activity a ON a.repository = r.repository AND a.holder = r.holder"
                        + " WHERE r.origin = ANY($2::uuid[]) AND r.id = $1")
                .execute(Tuple.of(id, origins(List.of(id))))
                .map(rows -> {
                    List<Listed> found = listed(rows);
                    return found.isEmpty() || !found.get(0).reservation().repository().equals(repository) ? null
                            : found.get(0);
                });
    }

    /**
     * Marks reservations whose expiry has passed as EXPIRED (ended at their expiry), deletes ended reservations
     * older than {@code deleteEndedBefore}, and forgets the activity of holders with nothing left there.
     */
    Uni<SweepResult> sweep(Instant now, Instant deleteEndedBefore) {
        return pool.withTransaction(connection -> connection
                // whole sets: the members of one share their expiry; counted in reservations
                .preparedQuery("WITH expired AS (UPDATE scanner.reservation_set SET ended_at = expires_at,"
                        + " ended_by = 'drep', end_kind = 'EXPIRED' WHERE ended_at IS NULL AND expires_at <= $1"
                        + " RETURNING cardinality(members) AS n) SELECT coalesce(sum(n), 0)::int AS n FROM expired")
                .execute(Tuple.of(time(now)))
                .chain(expired -> connection
                        .preparedQuery("WITH deleted AS (DELETE FROM scanner.reservation_set WHERE ended_at IS NOT NULL"
                                + " AND ended_at < $1 RETURNING cardinality(members) AS n)"
                                + " SELECT coalesce(sum(n), 0)::int AS n FROM deleted")
                        .execute(Tuple.of(time(deleteEndedBefore)))
                        .chain(deleted -> connection
                                .preparedQuery("DELETE FROM scanner.reservation_activity a WHERE a.seen_at < $1 AND NOT"
                                        + " EXISTS (SELECT 1 FROM scanner.reservation_set r WHERE r.repository = a.repository"
                                        + " AND r.holder = a.holder)")
                                .execute(Tuple.of(time(deleteEndedBefore)))
                                .map(ignored -> new SweepResult(count(expired), count(deleted))))));
    }

    private static int count(RowSet<Row> rows) {
        return rows.iterator().next().getInteger("n");
    }

    private static List<Reservation> reservations(RowSet<Row> rows) {
        List<Reservation> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            result.add(reservation(row));
        }
        return result;
    }

    /** @return the reservations of these sets with their holders' last activity, oldest first */
    private static List<Listed> expanded(RowSet<Row> rows) {
        List<Listed> result = new ArrayList<>();
        for (Row row : rows) {
            UUID origin = row.getUUID("origin");
            Short[] members = row.getArrayOfShorts("members");
            String[] patterns = row.getArrayOfStrings("patterns");
            String kind = row.getString("end_kind");
            Instant seenAt = instant(row.getOffsetDateTime("seen_at"));
            for (int i = 0; i < members.length; i++) {
                result.add(new Listed(new Reservation(memberId(origin, members[i]), row.getString("repository"),
                        row.getString("holder"), patterns[i], row.getBoolean("exclusive"), row.getString("reason"),
                        instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("renewed_at")),
                        instant(row.getOffsetDateTime("expires_at")), instant(row.getOffsetDateTime("ended_at")),
                        row.getString("ended_by"), kind == null ? null : ReservationState.valueOf(kind),
                        row.getString("end_note")), seenAt));
            }
        }
        result.sort(Comparator.comparing(Listed::reservation, OLDEST_FIRST));
        return result;
    }

    private static List<Listed> listed(RowSet<Row> rows) {
        List<Listed> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            result.add(new Listed(reservation(row), instant(row.getOffsetDateTime("seen_at"))));
        }
        return result;
    }

    private static Reservation reservation(Row row) {
        String kind = row.getString("end_kind");
        return new Reservation(row.getUUID("id"), row.getString("repository"), row.getString("holder"),
                row.getString("pattern"), row.getBoolean("exclusive"), row.getString("reason"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("renewed_at")),
                instant(row.getOffsetDateTime("expires_at")), instant(row.getOffsetDateTime("ended_at")),
                row.getString("ended_by"), kind == null ? null : ReservationState.valueOf(kind),
                row.getString("end_note"));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
