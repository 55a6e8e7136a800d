-- LLM tokens reserved and spent per job, shared by every analyzer replica (the per-job ceiling).
CREATE TABLE job_token_usage (
    job_id     varchar(64) PRIMARY KEY,
    tokens     bigint      NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX job_token_usage_updated_at ON job_token_usage (updated_at);
