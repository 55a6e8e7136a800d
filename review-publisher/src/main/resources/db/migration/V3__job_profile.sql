-- Per-job profile: the publisher's share of a job's stage spans.
ALTER TABLE received_result ADD COLUMN stages text;
ALTER TABLE tracked_job ADD COLUMN publishing_started_at timestamptz;
