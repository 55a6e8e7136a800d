-- Per-job profile: the publisher's share of a job's stage spans.
ALTER TABLE received_result ADD COLUMN stages text;
ALTER TABLE tracked_job ADD COLUMN publishing_started_at timestamptz;

-- Incremental pull request reviews find the previous review of the same pull request by where it was posted
-- and the head it reviewed.
ALTER TABLE tracked_job ADD COLUMN scope_key text;
ALTER TABLE tracked_job ADD COLUMN head_sha varchar(64);
CREATE INDEX tracked_job_scope_head ON tracked_job (scope_key, head_sha);
