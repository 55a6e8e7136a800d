-- Keys (docs/architecture.md, "Keys with budgets"): an API token issued by the scanner (scope llm:use, maybe
-- restricted to a repository) plus this policy, keyed by the token's id. The token itself is the scanner's; the
-- gateway keeps no secret. A deleted key keeps its row (revoked_at) so the ledger's key ids still name something.
CREATE TABLE api_key (
    token_id            uuid          PRIMARY KEY,
    name                text          NOT NULL,
    repository          text,
    models              text[],        -- allowed aliases; NULL: every alias
    tokens_per_day      bigint,
    tokens_per_month    bigint,
    cost_per_day        numeric(20,9),
    cost_per_month      numeric(20,9),
    requests_per_minute integer,
    tokens_per_minute   bigint,
    expires_at          timestamptz,   -- the token's expiry, as the scanner set it
    created_at          timestamptz   NOT NULL,
    created_by          text          NOT NULL,
    revoked_at          timestamptz,
    revoked_by          text
);

-- The ledger names the key a request was made with.
ALTER TABLE usage_record ADD COLUMN key_id uuid;
CREATE INDEX usage_record_key ON usage_record (key_id, created_at) WHERE key_id IS NOT NULL;

-- A key's requests and tokens per time bucket (a sixtieth of the rate window, as admission_rate): its RPM/TPM
-- window is the sum of the buckets that reach into it, shared by every replica. Charged in the budget reservation's
-- transaction, corrected with the actual tokens when the reservation is settled.
CREATE TABLE key_rate (
    key_id       uuid        NOT NULL,
    bucket_start timestamptz NOT NULL,
    requests     integer     NOT NULL DEFAULT 0,
    tokens       bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, bucket_start)
);

-- Charges one request of a key if its windows have room. A transaction-scoped advisory lock per key makes counting
-- and charging one step; it is held until the caller's (short) reservation transaction ends, never across a wait.
-- Returns 'admitted' with the bucket charged, or 'requests' / 'tokens' with the milliseconds until the oldest bucket
-- leaves the window and what the window holds.
CREATE FUNCTION key_rate_take(p_key uuid, p_tokens bigint, p_requests_per_window integer,
        p_tokens_per_window bigint, p_window interval, p_bucket interval)
    RETURNS TABLE (verdict text, charged_bucket timestamptz, retry_after_ms bigint, used bigint)
    LANGUAGE plpgsql SET search_path = gateway, pg_temp AS $$
DECLARE
    v_now      timestamptz;
    v_bucket   timestamptz;
    v_requests bigint;
    v_tokens   bigint;
    v_oldest   timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(7366002, hashtext(p_key::text));
    v_now := clock_timestamp();
    v_bucket := to_timestamp(floor(extract(epoch FROM v_now) / extract(epoch FROM p_bucket))
                             * extract(epoch FROM p_bucket));
    DELETE FROM key_rate k WHERE k.key_id = p_key AND k.bucket_start + p_bucket <= v_now - p_window;
    SELECT coalesce(sum(k.requests), 0), coalesce(sum(k.tokens), 0), min(k.bucket_start)
      INTO v_requests, v_tokens, v_oldest
      FROM key_rate k WHERE k.key_id = p_key AND k.bucket_start + p_bucket > v_now - p_window;
    IF p_requests_per_window > 0 AND v_requests + 1 > p_requests_per_window THEN
        RETURN QUERY SELECT 'requests'::text, NULL::timestamptz,
            greatest(1, ceil(extract(epoch FROM (v_oldest + p_bucket + p_window - v_now)) * 1000))::bigint, v_requests;
        RETURN;
    END IF;
    -- a request larger than the whole token window goes once the window is empty
    IF p_tokens_per_window > 0 AND v_tokens > 0 AND v_tokens + p_tokens > p_tokens_per_window THEN
        RETURN QUERY SELECT 'tokens'::text, NULL::timestamptz,
            greatest(1, ceil(extract(epoch FROM (v_oldest + p_bucket + p_window - v_now)) * 1000))::bigint, v_tokens;
        RETURN;
    END IF;
    INSERT INTO key_rate AS k (key_id, bucket_start, requests, tokens) VALUES (p_key, v_bucket, 1, p_tokens)
        ON CONFLICT (key_id, bucket_start) DO UPDATE SET requests = k.requests + 1, tokens = k.tokens + excluded.tokens;
    RETURN QUERY SELECT 'admitted'::text, v_bucket, 0::bigint, 0::bigint;
END
$$;
