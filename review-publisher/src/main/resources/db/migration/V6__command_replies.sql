-- drep's answers to commands given in pull request comments (dev.drep.publisher.command), posted exactly once:
-- a reply is recorded SENDING before its platform call and POSTED after it; a reply found SENDING again (the
-- poster died, or the platform failed after taking it) is first looked for on the platform by its hidden marker
-- <!-- drep:reply:<reply_id> -->. One poster at a time: claimed_by / claim_expires_at as in tracked_job.
CREATE TABLE command_reply (
    reply_id          varchar(100) PRIMARY KEY,
    pull_request      text         NOT NULL,
    state             varchar(16)  NOT NULL,
    attempts          integer      NOT NULL DEFAULT 0,
    claimed_by        varchar(64),
    claim_expires_at  timestamptz,
    platform_id       text,
    created_at        timestamptz  NOT NULL,
    posted_at         timestamptz,
    CONSTRAINT command_reply_state CHECK (state IN ('SENDING', 'POSTED'))
);
CREATE INDEX command_reply_created_at ON command_reply (created_at);
