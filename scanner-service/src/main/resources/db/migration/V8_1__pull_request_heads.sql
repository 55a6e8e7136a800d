-- A webhook delivery for a pull request head that has a job (a replay under a new delivery id) finds that
-- job instead of starting a second review (dev.drep.scanner.webhook.DeliveryLog).
CREATE INDEX job_pull_request_head ON job (repository_id, pr_number, head_commit) WHERE kind = 'PULL_REQUEST';
