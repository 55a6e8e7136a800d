-- Budgets: what each budget period has spent, estimates of calls in flight included (a call
-- reserves its estimate before it is sent and settles the difference to its actual usage after).
CREATE TABLE budget_usage (
    scope        text          NOT NULL,  -- 'global' or 'repository:<name>'
    period       varchar(8)    NOT NULL,  -- 'day' or 'month' (UTC)
    period_start date          NOT NULL,
    tokens       bigint        NOT NULL DEFAULT 0,
    cost_usd     numeric(20,9) NOT NULL DEFAULT 0,
    updated_at   timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, period, period_start)
);

-- Response cache: one answer per hash of provider, model, messages and parameters.
CREATE TABLE response_cache (
    cache_key   char(64)     PRIMARY KEY,
    answer      text         NOT NULL,
    created_at  timestamptz  NOT NULL,
    expires_at  timestamptz  NOT NULL
);
CREATE INDEX response_cache_expires_at ON response_cache (expires_at);

-- Usage ledger: one row per validated request.
CREATE TABLE usage_record (
    id                uuid             PRIMARY KEY,
    created_at        timestamptz      NOT NULL,
    repository        text,
    job               text,
    priority          varchar(16)      NOT NULL,
    task_class        text,
    requested_alias   text             NOT NULL,
    alias             text,
    provider          text,
    model             text,
    prompt_tokens     integer          NOT NULL,
    completion_tokens integer          NOT NULL,
    total_tokens      integer          NOT NULL,
    cost_usd          numeric(20,9)    NOT NULL,
    usage_estimated   boolean          NOT NULL,
    cache_hit         boolean          NOT NULL,
    queue_wait_ms     double precision NOT NULL,
    provider_ms       double precision NOT NULL,
    latency_ms        double precision NOT NULL,
    attempts          integer          NOT NULL,
    outcome           varchar(40)      NOT NULL,
    http_status       integer          NOT NULL
);
CREATE INDEX usage_record_created_at ON usage_record (created_at);
CREATE INDEX usage_record_repository ON usage_record (repository, created_at);
CREATE INDEX usage_record_job ON usage_record (job);
