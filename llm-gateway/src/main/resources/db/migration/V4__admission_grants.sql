-- Shared limits by grants instead of one statement per request (docs/architecture.md, "Replicas share their limits").
-- A replica holds a grant of concurrency slots per repository and an allowance of requests and tokens from the
-- current rate bucket; it admits requests against them in its own memory, and comes back here only when it needs
-- more, to give back what it no longer uses, and every rebalance interval while it holds anything. The sum of all
-- grants never exceeds a limit, so the replicas together never do; a replica that sees others waiting keeps no more
-- than its fair share. Replaces V2's one hold per request (admission_hold, admission_admit, admission_release):
-- during a rolling update from a gateway before this version, the old replica's admissions fail until it stops.
DROP FUNCTION admission_admit(uuid, uuid, text, bigint, integer, integer, integer, bigint, interval, interval);
DROP FUNCTION admission_release(uuid, bigint);
DROP TABLE admission_hold;

-- Concurrency slots granted to a replica for one repository bucket; wanted > slots means it has requests waiting
-- for more (the others then keep no more than their fair share).
CREATE UNLOGGED TABLE admission_grant (
    replica_id uuid    NOT NULL,
    repository text    NOT NULL,
    slots      integer NOT NULL,
    wanted     integer NOT NULL,
    PRIMARY KEY (replica_id, repository)
);
CREATE INDEX admission_grant_repository ON admission_grant (repository);

-- One exchange of a replica with the shared state, under the one advisory lock of all admissions:
--  * corrections: requests given back to rate buckets (allowance not used) and tokens moved by actual usage;
--  * concurrency: for each repository the replica wants p_wants[i] slots in all; fewer than it holds gives some
--    back, more claims up to what the global and repository limits leave, and not beyond a fair share
--    (limit / replicas holding or wanting) while another replica has requests waiting for that limit;
--  * rate: an allowance of up to p_requests requests and p_tokens tokens from the current bucket, as far as the
--    window has room (conservative by at most one bucket, as V2), or none when not even one request with
--    p_need_tokens fits.
-- Returns the slots now held per repository (in the order asked), why a repository got fewer than it wanted
-- ('global' or 'repository', else NULL), the allowance granted with its bucket and how long that bucket stays
-- current, when the window has room again if the allowance fell short, and whether another replica has requests
-- waiting. Without a live lease nothing changes and lease_ok is false.
CREATE FUNCTION admission_sync(p_replica uuid, p_repositories text[], p_wants integer[],
        p_requests integer, p_tokens bigint, p_need_tokens bigint,
        p_return_buckets timestamptz[], p_return_requests integer[], p_return_tokens bigint[],
        p_max_concurrent integer, p_max_per_repository integer, p_requests_per_window integer,
        p_tokens_per_window bigint, p_window interval, p_bucket interval)
    RETURNS TABLE (lease_ok boolean, slots integer[], short_of text[], granted_requests integer,
                   granted_tokens bigint, rate_bucket timestamptz, bucket_left_ms bigint, rate_retry_ms bigint,
                   others_waiting boolean)
    LANGUAGE plpgsql SET search_path = gateway, pg_temp AS $$
DECLARE
    v_now       timestamptz;
    v_bucket    timestamptz;
    v_slots     integer[] := '{}';
    v_short     text[] := '{}';
    v_held      integer;
    v_total     bigint;
    v_in_repo   bigint;
    v_mine      bigint;
    v_replicas  bigint;
    v_fair      bigint;
    v_grant     bigint;
    v_reason    text;
    v_requests  bigint;
    v_tokens    bigint;
    v_oldest    timestamptz;
    v_g_req     integer := 0;
    v_g_tok     bigint := 0;
    v_retry     bigint := 0;
    i           integer;
BEGIN
    PERFORM pg_advisory_xact_lock(7366001);
    v_now := clock_timestamp();
    IF NOT EXISTS (SELECT 1 FROM admission_replica r
                   WHERE r.replica_id = p_replica AND r.lease_expires_at > v_now) THEN
        RETURN QUERY SELECT false, NULL::integer[], NULL::text[], 0, 0::bigint, NULL::timestamptz, 0::bigint,
            0::bigint, false;
        RETURN;
    END IF;

    FOR i IN 1 .. coalesce(array_length(p_return_buckets, 1), 0) LOOP
        UPDATE admission_rate a SET requests = greatest(0, a.requests - p_return_requests[i]),
                                    tokens = greatest(0, a.tokens + p_return_tokens[i])
            WHERE a.bucket_start = p_return_buckets[i];
    END LOOP;

    FOR i IN 1 .. coalesce(array_length(p_repositories, 1), 0) LOOP
        SELECT g.slots INTO v_held FROM admission_grant g
            WHERE g.replica_id = p_replica AND g.repository = p_repositories[i];
        v_held := coalesce(v_held, 0);
        v_reason := NULL;
        IF p_wants[i] <= v_held THEN
            v_held := greatest(p_wants[i], 0);
        ELSE
            SELECT coalesce(sum(g.slots), 0),
                   coalesce(sum(g.slots) FILTER (WHERE g.repository = p_repositories[i]), 0),
                   coalesce(sum(g.slots) FILTER (WHERE g.replica_id = p_replica), 0)
              INTO v_total, v_in_repo, v_mine FROM admission_grant g;
            v_grant := least(p_wants[i] - v_held, p_max_concurrent - v_total, p_max_per_repository - v_in_repo);
            IF p_max_per_repository - v_in_repo < p_wants[i] - v_held THEN
                v_reason := 'repository';
            END IF;
            IF p_max_concurrent - v_total < p_wants[i] - v_held
               AND p_max_concurrent - v_total <= p_max_per_repository - v_in_repo THEN
                v_reason := 'global';
            END IF;
            -- fairness: while another replica waits for this repository, keep no more than a fair share of it
            IF EXISTS (SELECT 1 FROM admission_grant g WHERE g.repository = p_repositories[i]
                       AND g.replica_id <> p_replica AND g.wanted > g.slots) THEN
                SELECT count(DISTINCT g.replica_id) INTO v_replicas FROM admission_grant g
                    WHERE g.repository = p_repositories[i] AND (g.slots > 0 OR g.wanted > 0 OR g.replica_id = p_replica);
                v_fair := ceil(p_max_per_repository::numeric / greatest(v_replicas, 1));
                IF v_held + v_grant > v_fair THEN
                    v_grant := greatest(0, v_fair - v_held);
                    v_reason := 'repository';
                END IF;
            END IF;
            -- and while another replica waits for the global limit, no more than a fair share of it
            IF EXISTS (SELECT 1 FROM admission_grant g WHERE g.replica_id <> p_replica AND g.wanted > g.slots) THEN
                SELECT count(DISTINCT g.replica_id) INTO v_replicas FROM admission_grant g
                    WHERE g.slots > 0 OR g.wanted > 0 OR g.replica_id = p_replica;
                v_fair := ceil(p_max_concurrent::numeric / greatest(v_replicas, 1));
                IF v_mine + v_grant > v_fair THEN
                    v_grant := greatest(0, least(v_grant, v_fair - v_mine));
                    v_reason := coalesce(v_reason, 'global');
                END IF;
            END IF;
            v_held := v_held + greatest(v_grant, 0);
        END IF;
        IF v_held = 0 AND p_wants[i] <= 0 THEN
            DELETE FROM admission_grant g WHERE g.replica_id = p_replica AND g.repository = p_repositories[i];
        ELSE
            INSERT INTO admission_grant AS g (replica_id, repository, slots, wanted)
                VALUES (p_replica, p_repositories[i], v_held, greatest(p_wants[i], 0))
                ON CONFLICT (replica_id, repository) DO UPDATE SET slots = excluded.slots, wanted = excluded.wanted;
        END IF;
        v_slots := array_append(v_slots, v_held);
        v_short := array_append(v_short, v_reason);
    END LOOP;

    v_bucket := to_timestamp(floor(extract(epoch FROM v_now) / extract(epoch FROM p_bucket))
                             * extract(epoch FROM p_bucket));
    IF p_requests > 0 THEN
        IF p_requests_per_window > 0 OR p_tokens_per_window > 0 THEN
            SELECT coalesce(sum(a.requests), 0), coalesce(sum(a.tokens), 0), min(a.bucket_start)
              INTO v_requests, v_tokens, v_oldest
              FROM admission_rate a WHERE a.bucket_start + p_bucket > v_now - p_window;
            v_g_req := p_requests;
            v_g_tok := p_tokens;
            IF p_requests_per_window > 0 THEN
                v_g_req := least(v_g_req, greatest(0, p_requests_per_window - v_requests));
            END IF;
            IF p_tokens_per_window > 0 AND NOT (v_tokens = 0 AND v_g_req > 0) THEN
                -- an empty window takes whatever was asked (one request larger than the window is let through)
                v_g_tok := least(v_g_tok, greatest(0, p_tokens_per_window - v_tokens));
            END IF;
            IF v_g_req < 1 OR v_g_tok < p_need_tokens THEN
                -- not even the first waiting request fits: nothing is taken, and the answer says when to ask again
                v_retry := greatest(1, ceil(extract(epoch FROM (coalesce(v_oldest, v_bucket) + p_bucket + p_window
                                                                 - v_now)) * 1000))::bigint;
                v_g_req := 0;
                v_g_tok := 0;
            ELSE
                INSERT INTO admission_rate AS a (bucket_start, requests, tokens) VALUES (v_bucket, v_g_req, v_g_tok)
                    ON CONFLICT (bucket_start) DO UPDATE
                    SET requests = a.requests + excluded.requests, tokens = a.tokens + excluded.tokens;
            END IF;
        ELSE
            v_g_req := p_requests;
            v_g_tok := p_tokens;
        END IF;
    END IF;

    RETURN QUERY SELECT true, v_slots, v_short, v_g_req, v_g_tok, v_bucket,
        greatest(0, floor(extract(epoch FROM (v_bucket + p_bucket - v_now)) * 1000))::bigint, v_retry,
        EXISTS (SELECT 1 FROM admission_grant g WHERE g.replica_id <> p_replica AND g.wanted > g.slots);
END
$$;

-- Renews a replica's lease and clears what dead replicas left: their leases, their grants, and rate buckets too old
-- to reach into any window. Returns whether the lease was still alive (false: it is new, or it had run out and the
-- replica's grants are gone).
CREATE OR REPLACE FUNCTION admission_heartbeat(p_replica uuid, p_lease interval, p_keep interval)
    RETURNS boolean
    LANGUAGE plpgsql SET search_path = gateway, pg_temp AS $$
DECLARE
    v_now   timestamptz := clock_timestamp();
    v_alive boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(7366001);
    SELECT r.lease_expires_at > v_now INTO v_alive FROM admission_replica r WHERE r.replica_id = p_replica;
    DELETE FROM admission_replica r WHERE r.lease_expires_at <= v_now;
    DELETE FROM admission_grant g
        WHERE NOT EXISTS (SELECT 1 FROM admission_replica r WHERE r.replica_id = g.replica_id)
          AND g.replica_id <> p_replica;
    IF NOT coalesce(v_alive, false) THEN
        DELETE FROM admission_grant g WHERE g.replica_id = p_replica;
    END IF;
    INSERT INTO admission_replica AS r (replica_id, lease_expires_at) VALUES (p_replica, v_now + p_lease)
        ON CONFLICT (replica_id) DO UPDATE SET lease_expires_at = excluded.lease_expires_at;
    DELETE FROM admission_rate a WHERE a.bucket_start < v_now - p_keep;
    RETURN coalesce(v_alive, false);
END
$$;

-- A replica that stops cleanly gives its slots back at once.
CREATE OR REPLACE FUNCTION admission_leave(p_replica uuid)
    RETURNS void
    LANGUAGE plpgsql SET search_path = gateway, pg_temp AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7366001);
    DELETE FROM admission_grant g WHERE g.replica_id = p_replica;
    DELETE FROM admission_replica r WHERE r.replica_id = p_replica;
END
$$;
