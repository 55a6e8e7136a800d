-- File reservations are stored one row per set: the patterns one reserve call granted together, which share
-- every other attribute (repository, holder, exclusive, reason, times, end). A reserve of 50 paths writes one
-- row and three index entries instead of 50 rows and 150 index entries (measured with pgbench on one database: the
-- insert 0.33-0.45 ms instead of 1.10-1.80 ms; docs/benchmarks.md, Reservations, session 8). The view `reservation`
-- below still shows one row per reservation, with the columns of the table it replaces.
--
-- Ids. A set's key is its origin (a UUID whose last 16 bits are zero, time-ordered so that inserts append to the
-- primary key's last page) and a part number. Member k of a set has the id of its origin with the last 16 bits
-- set to k (reservation_id); the member numbers stay with the reservations when a set is split, so ids never
-- change. A reservation carried over from the old table keeps its id: it becomes a set of its own with its id as
-- origin and member number 0 (reservation_id(origin, 0) is the origin itself).
--
-- Splits. When a renew, release, force-release or a reserve's refresh changes only some members of a set, those
-- members move to a row of their own first (reservation_detach). A row's part is the number of one of its members,
-- so parts are unique within an origin. Everything that splits holds the repository's advisory lock (see
-- ReservationStore), so a split never races another one.
CREATE TABLE reservation_set (
    origin      uuid         NOT NULL,
    part        smallint     NOT NULL,
    repository  text         NOT NULL,
    holder      text         NOT NULL,
    exclusive   boolean      NOT NULL,
    reason      text,
    created_at  timestamptz  NOT NULL,
    renewed_at  timestamptz  NOT NULL,
    expires_at  timestamptz  NOT NULL,
    -- set when released, force-released or swept after expiry; never cleared (no revival)
    ended_at    timestamptz,
    ended_by    text,
    end_kind    varchar(16),
    end_note    text,
    -- member numbers and their patterns, in the same order
    members     smallint[]   NOT NULL,
    patterns    text[]       NOT NULL,
    PRIMARY KEY (origin, part),
    CONSTRAINT reservation_set_end_kind CHECK (end_kind IN ('RELEASED', 'FORCE_RELEASED', 'EXPIRED')),
    CONSTRAINT reservation_set_ended CHECK ((ended_at IS NULL) = (end_kind IS NULL)),
    CONSTRAINT reservation_set_members CHECK (cardinality(members) = cardinality(patterns) AND cardinality(members) > 0
        AND part = ANY (members))
);
-- the same three indexes as before (see V3), over sets
CREATE INDEX reservation_set_live ON reservation_set (repository, created_at, origin, part) INCLUDE (expires_at)
    WHERE ended_at IS NULL;
CREATE INDEX reservation_set_listing ON reservation_set (repository, created_at DESC);
CREATE INDEX reservation_set_ended_at ON reservation_set (ended_at) WHERE ended_at IS NOT NULL;

-- the id of member k of the set with this origin
CREATE FUNCTION reservation_id(origin uuid, member smallint) RETURNS uuid
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT CASE WHEN member = 0 THEN origin
                 ELSE encode(overlay(uuid_send(origin) PLACING int2send(member) FROM 15 FOR 2), 'hex')::uuid END $$;

-- the origin of the set whose member has this id, unless the id is a carried-over one (then the id itself)
CREATE FUNCTION reservation_origin(id uuid) RETURNS uuid
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT encode(overlay(uuid_send(id) PLACING '\x0000'::bytea FROM 15 FOR 2), 'hex')::uuid $$;

INSERT INTO reservation_set (origin, part, repository, holder, exclusive, reason, created_at, renewed_at, expires_at,
        ended_at, ended_by, end_kind, end_note, members, patterns)
    SELECT id, 0, repository, holder, exclusive, reason, created_at, renewed_at, expires_at, ended_at, ended_by,
           end_kind, end_note, ARRAY[0]::smallint[], ARRAY[pattern]
    FROM reservation;
DROP TABLE reservation;

-- One row per reservation, as the table of V3 had them (plus the set's key and the member number).
CREATE VIEW reservation AS
    SELECT reservation_id(s.origin, u.member) AS id, s.origin, s.part, u.member, s.repository, s.holder, u.pattern,
           s.exclusive, s.reason, s.created_at, s.renewed_at, s.expires_at, s.ended_at, s.ended_by, s.end_kind,
           s.end_note
    FROM reservation_set s CROSS JOIN LATERAL unnest(s.members, s.patterns) AS u(member, pattern);

-- Moves the members with these ids into rows of their own (locking every row that holds one of them) and returns
-- the keys of the rows that now hold exactly those members. Callers hold the repository's advisory lock.
CREATE FUNCTION reservation_detach(target uuid[]) RETURNS TABLE (set_origin uuid, set_part smallint)
    LANGUAGE plpgsql SET search_path FROM CURRENT
    AS $$
DECLARE
    s record;
    wanted smallint[];
    moved smallint[];
    moved_part smallint;
BEGIN
    FOR s IN SELECT r.origin, r.part, r.members FROM reservation_set r
             WHERE r.origin = ANY (ARRAY(SELECT t FROM unnest(target) AS t
                                         UNION SELECT reservation_origin(t) FROM unnest(target) AS t))
             ORDER BY r.origin, r.part FOR UPDATE
    LOOP
        wanted := ARRAY(SELECT m FROM unnest(s.members) AS m WHERE reservation_id(s.origin, m) = ANY (target));
        CONTINUE WHEN cardinality(wanted) = 0;
        set_origin := s.origin;
        set_part := s.part;
        IF cardinality(wanted) < cardinality(s.members) THEN
            -- the row keeps the side that holds the member its part is named after; the other side moves
            IF s.part = ANY (wanted) THEN
                moved := ARRAY(SELECT m FROM unnest(s.members) AS m WHERE m <> ALL (wanted));
            ELSE
                moved := wanted;
            END IF;
            moved_part := (SELECT min(m) FROM unnest(moved) AS m);
            INSERT INTO reservation_set (origin, part, repository, holder, exclusive, reason, created_at, renewed_at,
                    expires_at, ended_at, ended_by, end_kind, end_note, members, patterns)
                SELECT r.origin, moved_part, r.repository, r.holder, r.exclusive, r.reason, r.created_at, r.renewed_at,
                       r.expires_at, r.ended_at, r.ended_by, r.end_kind, r.end_note, moved,
                       ARRAY(SELECT u.p FROM unnest(r.members, r.patterns) WITH ORDINALITY AS u(m, p, n)
                             WHERE u.m = ANY (moved) ORDER BY u.n)
                FROM reservation_set r WHERE r.origin = s.origin AND r.part = s.part;
            UPDATE reservation_set r
                SET members = ARRAY(SELECT u.m FROM unnest(r.members) WITH ORDINALITY AS u(m, n)
                                    WHERE u.m <> ALL (moved) ORDER BY u.n),
                    patterns = ARRAY(SELECT u.p FROM unnest(r.members, r.patterns) WITH ORDINALITY AS u(m, p, n)
                                     WHERE u.m <> ALL (moved) ORDER BY u.n)
                WHERE r.origin = s.origin AND r.part = s.part;
            IF NOT s.part = ANY (wanted) THEN
                set_part := moved_part;
            END IF;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;

-- A reserve's refresh of the holder's identical reservations that have not ended: extends them to at least
-- `until`, renewed at `renewed`, with the new reason if one is given. Returns them.
CREATE FUNCTION reservation_extend(target uuid[], until timestamptz, renewed timestamptz, new_reason text)
    RETURNS SETOF reservation
    LANGUAGE plpgsql SET search_path FROM CURRENT
    AS $$
DECLARE
    origins uuid[];
    parts smallint[];
BEGIN
    SELECT coalesce(array_agg(d.set_origin), '{}'), coalesce(array_agg(d.set_part), '{}') INTO origins, parts
        FROM reservation_detach(target) AS d;
    WITH changed AS (UPDATE reservation_set AS s SET expires_at = GREATEST(s.expires_at, until), renewed_at = renewed,
                                reason = coalesce(new_reason, s.reason)
                         FROM unnest(origins, parts) AS k(origin, part)
                         WHERE s.origin = k.origin AND s.part = k.part AND s.ended_at IS NULL
                         RETURNING s.origin, s.part)
        SELECT array_agg(c.origin), array_agg(c.part) INTO origins, parts FROM changed c;
    -- a plain query of its own, which sees the update (not every PostgreSQL version takes a data-modifying WITH
    -- under RETURN QUERY)
    RETURN QUERY SELECT r.* FROM reservation r JOIN unnest(origins, parts) AS k(origin, part)
        ON r.origin = k.origin AND r.part = k.part;
END
$$;

-- A renewal of reservations that have not ended: each expires `ttl` later than it did, but not after `cap`.
CREATE FUNCTION reservation_renew(target uuid[], ttl interval, cap timestamptz, renewed timestamptz)
    RETURNS SETOF reservation
    LANGUAGE plpgsql SET search_path FROM CURRENT
    AS $$
DECLARE
    origins uuid[];
    parts smallint[];
BEGIN
    SELECT coalesce(array_agg(d.set_origin), '{}'), coalesce(array_agg(d.set_part), '{}') INTO origins, parts
        FROM reservation_detach(target) AS d;
    WITH changed AS (UPDATE reservation_set AS s SET expires_at = LEAST(s.expires_at + ttl, cap), renewed_at = renewed
                         FROM unnest(origins, parts) AS k(origin, part)
                         WHERE s.origin = k.origin AND s.part = k.part AND s.ended_at IS NULL
                         RETURNING s.origin, s.part)
        SELECT array_agg(c.origin), array_agg(c.part) INTO origins, parts FROM changed c;
    -- a plain query of its own, which sees the update (not every PostgreSQL version takes a data-modifying WITH
    -- under RETURN QUERY)
    RETURN QUERY SELECT r.* FROM reservation r JOIN unnest(origins, parts) AS k(origin, part)
        ON r.origin = k.origin AND r.part = k.part;
END
$$;

-- Ends reservations that have not ended yet (release, force-release). Returns those it ended.
CREATE FUNCTION reservation_end(target uuid[], at timestamptz, by_whom text, kind text, note text)
    RETURNS SETOF reservation
    LANGUAGE plpgsql SET search_path FROM CURRENT
    AS $$
DECLARE
    origins uuid[];
    parts smallint[];
BEGIN
    SELECT coalesce(array_agg(d.set_origin), '{}'), coalesce(array_agg(d.set_part), '{}') INTO origins, parts
        FROM reservation_detach(target) AS d;
    WITH changed AS (UPDATE reservation_set AS s SET ended_at = at, ended_by = by_whom, end_kind = kind,
                                end_note = note
                         FROM unnest(origins, parts) AS k(origin, part)
                         WHERE s.origin = k.origin AND s.part = k.part AND s.ended_at IS NULL
                         RETURNING s.origin, s.part)
        SELECT array_agg(c.origin), array_agg(c.part) INTO origins, parts FROM changed c;
    -- a plain query of its own, which sees the update (not every PostgreSQL version takes a data-modifying WITH
    -- under RETURN QUERY)
    RETURN QUERY SELECT r.* FROM reservation r JOIN unnest(origins, parts) AS k(origin, part)
        ON r.origin = k.origin AND r.part = k.part;
END
$$;
