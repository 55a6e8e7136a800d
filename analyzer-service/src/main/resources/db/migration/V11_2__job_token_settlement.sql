-- One row per settlement of a job's token count (PostgresTokenCeiling.settle): a settlement is an increment, tried
-- again after a failure under the same id, and a try whose commit went through but whose answer was lost finds its
-- row and changes nothing. Deleted with the job's job_token_usage row, 7 days after their last use.
CREATE TABLE job_token_settlement (
    settlement_id uuid        PRIMARY KEY,
    job_id        varchar(64) NOT NULL,
    settled_at    timestamptz NOT NULL
);
CREATE INDEX job_token_settlement_settled_at ON job_token_settlement (settled_at);
