-- Per-job profile: where the job's time went (stage spans from every service) and its LLM use.
ALTER TABLE job
    ADD COLUMN llm_calls         integer       NOT NULL DEFAULT 0,
    ADD COLUMN llm_cache_hits    integer       NOT NULL DEFAULT 0,
    ADD COLUMN prompt_tokens     bigint        NOT NULL DEFAULT 0,
    ADD COLUMN completion_tokens bigint        NOT NULL DEFAULT 0,
    ADD COLUMN llm_cost          numeric(18,6) NOT NULL DEFAULT 0;

CREATE TABLE job_stage (
    id         bigserial    PRIMARY KEY,
    job_id     uuid         NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    stage      varchar(16)  NOT NULL,
    source     varchar(200) NOT NULL,
    started_at timestamptz  NOT NULL,
    ended_at   timestamptz  NOT NULL
);
CREATE INDEX job_stage_job ON job_stage (job_id);
-- The pull request's author (platform login), whose own file reservations never conflict with the review.
ALTER TABLE job ADD COLUMN author varchar(255);

CREATE INDEX job_finished_at ON job (finished_at) WHERE finished_at IS NOT NULL;
