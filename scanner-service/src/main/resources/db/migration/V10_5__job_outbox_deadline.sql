-- The planning request of a job is an outbox entry: the job row is recorded first (QUEUED, planning_sent_at null),
-- the request is sent to the broker, then planning_sent_at is set. The relay (PlanningRelay) sends again what a
-- process that died in between left unsent. Existing jobs were sent.
ALTER TABLE job ADD COLUMN planning_sent_at timestamptz;
UPDATE job SET planning_sent_at = created_at;
CREATE INDEX job_planning_unsent ON job (created_at) WHERE status = 'QUEUED' AND planning_sent_at IS NULL;

-- A job the scanner failed without the publisher (JobWatchdog at its deadline, or its planning request
-- dead-lettered); failure_reported_at: when the review-publisher was told, so that it reports the failure on the pull
-- request (retried until it is told).
ALTER TABLE job ADD COLUMN report_failure boolean NOT NULL DEFAULT false;
ALTER TABLE job ADD COLUMN failure_reported_at timestamptz;
CREATE INDEX job_unfinished_created ON job (created_at) WHERE status IN ('QUEUED', 'ANALYZING', 'PUBLISHING');
