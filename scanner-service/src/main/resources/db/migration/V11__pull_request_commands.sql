-- Commands given in pull request comments (/drep review, pause, resume, help; dev.drep.scanner.command).

-- /drep review: the job's units ask the analyzers to ignore the analysis cache and the gateway's cache.
ALTER TABLE job ADD COLUMN fresh_analysis boolean NOT NULL DEFAULT false;

-- One row per comment that gave a command, keyed by the platform's comment id (with its kind: GitHub's issue and
-- review comments are different objects), so that a command is run and answered once however often its webhook is
-- delivered. claimed_until: the handler that runs it holds it until then (a handler that died lets it go);
-- answered_at: the reply was handed to the review-publisher, which posts it exactly once (publisher.command_reply).
CREATE TABLE pull_request_command (
    repository_id  uuid         NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    comment_id     varchar(100) NOT NULL,
    pr_number      integer      NOT NULL,
    author         text         NOT NULL,
    command        text         NOT NULL,
    received_at    timestamptz  NOT NULL,
    claimed_until  timestamptz,
    job_id         uuid,
    answered_at    timestamptz,
    PRIMARY KEY (repository_id, comment_id)
);
CREATE INDEX pull_request_command_received_at ON pull_request_command (received_at);

-- Pull requests whose automatic reviews on push are paused (/drep pause until /drep resume).
CREATE TABLE pull_request_pause (
    repository_id  uuid         NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    pr_number      integer      NOT NULL,
    paused_by      text         NOT NULL,
    paused_at      timestamptz  NOT NULL,
    PRIMARY KEY (repository_id, pr_number)
);
