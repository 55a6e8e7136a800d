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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * SQL for reservations in schema {@code scanner}, on the reactive pool directly: the reserve path is the hot
 * one, and it needs statements an ORM does not give (a transaction-scoped advisory lock, array inserts,
 * data-modifying CTEs). Times are bound as parameters from {@link ReservationClock}, never {@code now()}.
 */
@ApplicationScoped
public class ReservationStore {
    /** First half of the advisory lock key: "drep" in ASCII, so that other users of advisory locks keep out of the way. */
    static final int LOCK_CLASS = 0x64726570;

    private static final String COLUMNS = "r.id, r.repository, r.holder, r.pattern, r.exclusive, r.reason, r.created_at,"
            + " r.renewed_at, r.expires_at, r.ended_at, r.ended_by, r.end_kind, r.end_note";
    /** Every statement aliases the table as {@code r}, so that this list serves SELECT and RETURNING alike. */
    private static final String RETURNING = "RETURNING " + COLUMNS;
    /**
     * Records a holder's activity; part of the reserve statement, so it uses that statement's parameters:
     * $1 repository, $2 holder, $5 now.
     */
    private static final String TOUCH_SQL = "INSERT INTO scanner.reservation_activity (repository, holder, seen_at)"
            + " VALUES ($1, $2, $5) ON CONFLICT (repository, holder)"
            + " DO UPDATE SET seen_at = GREATEST(reservation_activity.seen_at, EXCLUDED.seen_at)";

    /** The live (not ended) reservations of repository $1, expired or not, oldest first. */
    private static final String LIVE_SQL = "SELECT " + COLUMNS + ", a.seen_at FROM scanner.reservation r"
            + " LEFT JOIN scanner.reservation_activity a ON a.repository = r.repository AND a.holder = r.holder"
            + " WHERE r.repository = $1 AND r.ended_at IS NULL ORDER BY r.created_at, r.id";

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
                    .with((begun, locked, rows) -> listed(rows));
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
        return client.preparedQuery("SELECT " + COLUMNS + ", a.seen_at FROM scanner.reservation r"
                        + " LEFT JOIN scanner.reservation_activity a ON a.repository = r.repository AND a.holder = r.holder"
                        + " WHERE r.repository = $1 AND r.ended_at IS NULL AND r.expires_at > $2"
                        + " ORDER BY r.created_at, r.id")
                .execute(Tuple.of(repository, time(now)))
                .map(ReservationStore::listed);
    }

    /**
     * Inserts new reservations, extends the holder's identical ones ({@code refreshIds}) and records the holder's
     * activity, in one statement. Ids are joined with {@code unnest} rather than compared with {@code = ANY(...)}
     * throughout, so that the planner looks them up by primary key.
     *
     * @return the inserted and extended reservations
     */
    Uni<List<Reservation>> grant(SqlConnection connection, String repository, String holder, List<String> newPatterns,
            List<UUID> refreshIds, boolean exclusive, String reason, Instant now, Instant expires) {
        UUID[] ids = new UUID[newPatterns.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = UUID.randomUUID();
        }
        String sql = "WITH inserted AS (INSERT INTO scanner.reservation AS r (id, repository, holder, pattern, exclusive,"
                + " reason, created_at, renewed_at, expires_at) SELECT u.id, $1, $2, u.pattern, $3, $4, $5, $5, $6"
                + " FROM unnest($7::uuid[], $8::text[]) AS u(id, pattern) " + RETURNING + "),"
                + " refreshed AS (UPDATE scanner.reservation AS r SET expires_at = GREATEST(r.expires_at, $6),"
                + " renewed_at = $5, reason = COALESCE($4, r.reason) FROM unnest($9::uuid[]) AS f(id)"
                // a release by the same holder may have ended it since it was read: never revive
                + " WHERE r.id = f.id AND r.ended_at IS NULL " + RETURNING + "),"
                + " touched AS (" + TOUCH_SQL + ")"
                + " SELECT * FROM inserted r UNION ALL SELECT * FROM refreshed r";
        return connection.preparedQuery(sql)
                .execute(Tuple.from(Arrays.asList(repository, holder, exclusive, reason, time(now), time(expires), ids,
                        newPatterns.toArray(String[]::new), refreshIds.toArray(UUID[]::new))))
                .map(ReservationStore::reservations);
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
     *     id alone and filtered by repository here: with the repository in the WHERE clause PostgreSQL may combine
     *     the primary key with the repository's index, which holds every ended reservation of the retention period.
     */
    Uni<List<Reservation>> byIdsForUpdate(SqlConnection connection, String repository, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return connection.preparedQuery("SELECT " + COLUMNS + " FROM scanner.reservation r WHERE r.id = ANY($1::uuid[])"
                        + " ORDER BY r.created_at, r.id FOR UPDATE")
                .execute(Tuple.of((Object) ids.toArray(UUID[]::new)))
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

    /** Sets new expiries (one per id) and the renewal time; @return the renewed reservations */
    Uni<List<Reservation>> renew(SqlConnection connection, List<UUID> ids, List<Instant> expiries, Instant now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        OffsetDateTime[] times = expiries.stream().map(ReservationStore::time).toArray(OffsetDateTime[]::new);
        return connection.preparedQuery("UPDATE scanner.reservation AS r SET expires_at = u.expires, renewed_at = $3"
                        + " FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, expires) WHERE r.id = u.id"
                        + " AND r.ended_at IS NULL " + RETURNING)
                .execute(Tuple.of(ids.toArray(UUID[]::new), times, time(now)))
                .map(ReservationStore::reservations);
    }

    /** Ends reservations that have not ended yet; @return those it ended */
    Uni<List<Reservation>> end(SqlConnection connection, List<UUID> ids, Instant now, String by, ReservationState kind,
            String note) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // joined with the ids rather than "id = ANY(...)": that form lets the planner pick the small partial index of
        // live rows and scan it whole, which on a fresh table (no statistics yet) full of dead entries is slow
        return connection.preparedQuery("UPDATE scanner.reservation AS r SET ended_at = $2, ended_by = $3, end_kind = $4,"
                        + " end_note = $5 FROM unnest($1::uuid[]) AS u(id) WHERE r.id = u.id AND r.ended_at IS NULL "
                        + RETURNING)
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
                        + " WHERE r.id = $1")
                .execute(Tuple.of(id))
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
                .preparedQuery("UPDATE scanner.reservation SET ended_at = expires_at, ended_by = 'drep',"
                        + " end_kind = 'EXPIRED' WHERE ended_at IS NULL AND expires_at <= $1")
                .execute(Tuple.of(time(now)))
                .chain(expired -> connection
                        .preparedQuery("DELETE FROM scanner.reservation WHERE ended_at IS NOT NULL AND ended_at < $1")
                        .execute(Tuple.of(time(deleteEndedBefore)))
                        .chain(deleted -> connection
                                .preparedQuery("DELETE FROM scanner.reservation_activity a WHERE a.seen_at < $1 AND NOT"
                                        + " EXISTS (SELECT 1 FROM scanner.reservation r WHERE r.repository = a.repository"
                                        + " AND r.holder = a.holder)")
                                .execute(Tuple.of(time(deleteEndedBefore)))
                                .map(ignored -> new SweepResult(expired.rowCount(), deleted.rowCount())))));
    }

    private static List<Reservation> reservations(RowSet<Row> rows) {
        List<Reservation> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            result.add(reservation(row));
        }
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
