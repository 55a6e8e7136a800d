-- Functions name tables unqualified and run with search_path gateway, whatever the caller's.
-- Limits shared by every gateway replica on this database (docs/architecture.md, "The LLM gateway").
-- A replica holds a lease it renews by heartbeat; each request it admits holds one row in
-- admission_hold until the call is over. A replica whose lease ran out loses its holds, so the
-- slots of a replica that died come back within one lease time.
CREATE TABLE admission_replica (
    replica_id       uuid        PRIMARY KEY,
    lease_expires_at timestamptz NOT NULL
);

-- Requests in flight at the providers, over all replicas: concurrency is the number of rows
-- (global) and the number of rows of a repository bucket (per repository).
CREATE TABLE admission_hold (
    permit_id    uuid        PRIMARY KEY,
    replica_id   uuid        NOT NULL,
    repository   text        NOT NULL,
    bucket_start timestamptz NOT NULL,
    tokens       bigint      NOT NULL,
    admitted_at  timestamptz NOT NULL
);
CREATE INDEX admission_hold_repository ON admission_hold (repository);
CREATE INDEX admission_hold_replica ON admission_hold (replica_id);

-- Requests and tokens admitted per time bucket (a sixtieth of the rate window): the rate window
-- is the sum of the buckets that reach into it. Tokens are corrected with actual usage on release.
CREATE TABLE admission_rate (
    bucket_start timestamptz PRIMARY KEY,
    requests     integer     NOT NULL DEFAULT 0,
    tokens       bigint      NOT NULL DEFAULT 0
);

-- Admits one request if every shared limit has room, in one statement. All admissions of all
-- replicas take one transaction-scoped advisory lock, so counting and inserting are one atomic step;
-- the lock is held only for this statement (autocommit), never across a wait.
-- Returns the verdict ('admitted', 'global', 'repository', 'rate', 'lease') and, for 'rate', the
-- milliseconds until the oldest bucket leaves the window.
CREATE FUNCTION admission_admit(p_replica uuid, p_permit uuid, p_repository text, p_tokens bigint,
        p_max_concurrent integer, p_max_per_repository integer, p_requests_per_window integer,
        p_tokens_per_window bigint, p_window interval, p_bucket interval)
    RETURNS TABLE (verdict text, retry_after_ms bigint)
    LANGUAGE plpgsql SET search_path = gateway, pg_temp AS $$
DECLARE
    v_now      timestamptz;
    v_bucket   timestamptz;
    v_requests bigint;
    v_tokens   bigint;
    v_oldest   timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(7366001);
    v_now := clock_timestamp();
    IF NOT EXISTS (SELECT 1 FROM admission_replica r
                   WHERE r.replica_id = p_replica AND r.lease_expires_at > v_now) THEN
        RETURN QUERY SELECT 'lease'::text, 0::bigint;
        RETURN;
    END IF;
    IF (SELECT count(*) FROM admission_hold) >= p_max_concurrent THEN
        RETURN QUERY SELECT 'global'::text, 0::bigint;
        RETURN;
    END IF;
    IF (SELECT count(*) FROM admission_hold h WHERE h.repository = p_repository) >= p_max_per_repository THEN
        RETURN QUERY SELECT 'repository'::text, 0::bigint;
        RETURN;
    END IF;
    v_bucket := to_timestamp(floor(extract(epoch FROM v_now) / extract(epoch FROM p_bucket))
                             * extract(epoch FROM p_bucket));
    IF p_requests_per_window > 0 OR p_tokens_per_window > 0 THEN
        -- every bucket that reaches into the window counts whole: conservative by at most one bucket
        SELECT coalesce(sum(a.requests), 0), coalesce(sum(a.tokens), 0), min(a.bucket_start)
          INTO v_requests, v_tokens, v_oldest
          FROM admission_rate a WHERE a.bucket_start + p_bucket > v_now - p_window;
        IF (p_requests_per_window > 0 AND v_requests + 1 > p_requests_per_window)
           OR (p_tokens_per_window > 0 AND v_tokens > 0 AND v_tokens + p_tokens > p_tokens_per_window) THEN
            RETURN QUERY SELECT 'rate'::text,
                greatest(1, ceil(extract(epoch FROM (v_oldest + p_bucket + p_window - v_now)) * 1000))::bigint;
            RETURN;
        END IF;
    END IF;
    INSERT INTO admission_rate AS a (bucket_start, requests, tokens) VALUES (v_bucket, 1, p_tokens)
        ON CONFLICT (bucket_start) DO UPDATE SET requests = a.requests + 1, tokens = a.tokens + excluded.tokens;
    INSERT INTO admission_hold (permit_id, replica_id, repository, bucket_start, tokens, admitted_at)
        VALUES (p_permit, p_replica, p_repository, v_bucket, p_tokens, v_now);
    RETURN QUERY SELECT 'admitted'::text, 0::bigint;
END
$$;

-- Ends a hold and corrects its bucket's tokens with the actual usage (a negative value keeps the
-- estimate). Releasing a hold that is gone (its replica's lease ran out) does nothing.
CREATE FUNCTION admission_release(p_permit uuid, p_actual_tokens bigint)
    RETURNS void
    LANGUAGE plpgsql SET search_path = gateway, pg_temp AS $$
DECLARE
    v_bucket timestamptz;
    v_tokens bigint;
BEGIN
    DELETE FROM admission_hold h WHERE h.permit_id = p_permit RETURNING h.bucket_start, h.tokens
        INTO v_bucket, v_tokens;
    IF FOUND AND p_actual_tokens >= 0 AND p_actual_tokens <> v_tokens THEN
        UPDATE admission_rate a SET tokens = a.tokens + p_actual_tokens - v_tokens WHERE a.bucket_start = v_bucket;
    END IF;
END
$$;

-- Renews a replica's lease and clears what dead replicas left: their leases, their holds, and
-- rate buckets too old to reach into any window. Returns whether the lease was still alive
-- (false: it is new, or it had run out and the replica's holds are gone).
CREATE FUNCTION admission_heartbeat(p_replica uuid, p_lease interval, p_keep interval)
    RETURNS boolean
    LANGUAGE plpgsql SET search_path = gateway, pg_temp AS $$
DECLARE
    v_now   timestamptz := clock_timestamp();
    v_alive boolean;
BEGIN
    SELECT r.lease_expires_at > v_now INTO v_alive FROM admission_replica r WHERE r.replica_id = p_replica;
    DELETE FROM admission_replica r WHERE r.lease_expires_at <= v_now;
    DELETE FROM admission_hold h
        WHERE NOT EXISTS (SELECT 1 FROM admission_replica r WHERE r.replica_id = h.replica_id)
          AND h.replica_id <> p_replica;
    IF NOT coalesce(v_alive, false) THEN
        DELETE FROM admission_hold h WHERE h.replica_id = p_replica;
    END IF;
    INSERT INTO admission_replica AS r (replica_id, lease_expires_at) VALUES (p_replica, v_now + p_lease)
        ON CONFLICT (replica_id) DO UPDATE SET lease_expires_at = excluded.lease_expires_at;
    DELETE FROM admission_rate a WHERE a.bucket_start < v_now - p_keep;
    RETURN coalesce(v_alive, false);
END
$$;

-- A replica that stops cleanly gives its slots back at once.
CREATE FUNCTION admission_leave(p_replica uuid)
    RETURNS void
    LANGUAGE plpgsql SET search_path = gateway, pg_temp AS $$
BEGIN
    DELETE FROM admission_hold h WHERE h.replica_id = p_replica;
    DELETE FROM admission_replica r WHERE r.replica_id = p_replica;
END
$$;
