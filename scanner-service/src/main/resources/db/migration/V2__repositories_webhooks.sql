-- Repositories drep watches on Gitea, GitHub or GitLab. Secrets are never stored: webhook_secret_ref and
-- token_ref name configuration entries (drep.secrets.<name>, env DREP_SECRETS_<NAME>).
CREATE TABLE repository (
    id                   uuid         PRIMARY KEY,
    platform             varchar(16)  NOT NULL,
    full_name            text         NOT NULL,
    clone_url            text         NOT NULL,
    api_url              text         NOT NULL,
    project_id           text,
    default_branch       text         NOT NULL,
    webhook_secret_ref   text,
    token_ref            text,
    -- head of the last repository scan that finished (DONE); the next scan starts from it
    last_scanned_commit  varchar(64),
    -- creation time of the job that scanned it: a late DONE of an older scan must not move it back
    last_scanned_at      timestamptz,
    created_at           timestamptz  NOT NULL,
    CONSTRAINT repository_platform CHECK (platform IN ('gitea', 'github', 'gitlab'))
);
-- GitHub and Gitea names are case-insensitive; one registration per repository and platform
CREATE UNIQUE INDEX repository_platform_name ON repository (platform, lower(full_name));

-- Webhook deliveries already handled, so that a redelivery does not create a second job.
CREATE TABLE webhook_delivery (
    platform     varchar(16)  NOT NULL,
    delivery_id  varchar(200) NOT NULL,
    event        text         NOT NULL,
    job_id       uuid,
    received_at  timestamptz  NOT NULL,
    PRIMARY KEY (platform, delivery_id)
);
CREATE INDEX webhook_delivery_received_at ON webhook_delivery (received_at);

-- What a job is about beyond the local form of V1.
ALTER TABLE job ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'LOCAL';
ALTER TABLE job ADD COLUMN repository_id uuid REFERENCES repository (id) ON DELETE SET NULL;
ALTER TABLE job ADD COLUMN pr_number integer;
-- the branch the pull request targets, or the default branch a scan reads
ALTER TABLE job ADD COLUMN base_ref text;
-- GitLab's start_sha: the target branch tip the merge request is compared with
ALTER TABLE job ADD COLUMN start_commit varchar(64);
-- the head of the previous review the incremental selection started from (null: everything analysed)
ALTER TABLE job ADD COLUMN previous_head varchar(64);
-- a scan asked to read every file, not only those changed since the last scan
ALTER TABLE job ADD COLUMN full_scan boolean NOT NULL DEFAULT false;
CREATE INDEX job_repository ON job (repository_id, created_at DESC);
CREATE INDEX job_status ON job (status, created_at DESC);

-- The head of the last finished (DONE) review of each pull request: the next push is reviewed
-- incrementally from there.
CREATE TABLE pull_request_review (
    repository_id       uuid         NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    number              integer      NOT NULL,
    last_reviewed_head  varchar(64)  NOT NULL,
    job_id              uuid         NOT NULL,
    -- creation time of that job: a late DONE of an older review must not move the head back
    job_created_at      timestamptz  NOT NULL,
    PRIMARY KEY (repository_id, number)
);
