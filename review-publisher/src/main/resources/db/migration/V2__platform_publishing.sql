-- Posting to Gitea, GitHub and GitLab (issue 5).

-- A review whose platform was unavailable or rate limited stays PUBLISHING and is retried by a
-- scheduled task once next_attempt_at has passed; attempts counts the deferrals so that a platform
-- that never comes back fails the job instead of retrying forever.
ALTER TABLE tracked_job ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE tracked_job ADD COLUMN next_attempt_at timestamptz;
CREATE INDEX tracked_job_due ON tracked_job (next_attempt_at) WHERE stage = 'PUBLISHING';

-- One row per place drep posts to: a pull request (inline comments and the summary comment) or a
-- repository (issues of scans). scope_key is "platform|api url|repository|pr number" or
-- "...|issues". The summary comment id is kept so that it is edited in place on the next push.
CREATE TABLE publish_scope (
    scope_key        text         PRIMARY KEY,
    summary_id       varchar(128),
    summary_url      text,
    last_job_id      varchar(64),
    last_job_created timestamptz,
    updated_at       timestamptz  NOT NULL
);

-- Every finding posted (or being posted) as an inline comment or an issue, by fingerprint. It is
-- both the de-duplication across pushes and the idempotency record of a post: SENDING is written
-- (and committed) before the platform call and POSTED / REJECTED after it, so a post resumed after
-- a crash skips what is POSTED and looks on the platform for the hidden marker of what is SENDING.
-- No foreign key to tracked_job: these rows are written on their own connections while the job row
-- is locked, and they outlive jobs (they belong to the pull request).
CREATE TABLE posted_finding (
    scope_key    text         NOT NULL,
    fingerprint  varchar(64)  NOT NULL,
    state        varchar(16)  NOT NULL,
    job_id       varchar(64)  NOT NULL,
    platform_id  varchar(128),
    url          text,
    detail       text,
    updated_at   timestamptz  NOT NULL,
    PRIMARY KEY (scope_key, fingerprint)
);

-- The commit status / check run of each job's head commit (a GitHub check run has an id that the
-- final update must reuse).
CREATE TABLE commit_status (
    job_id       varchar(64)  PRIMARY KEY,
    platform_id  varchar(128),
    state        varchar(16)  NOT NULL,
    updated_at   timestamptz  NOT NULL
);
