CREATE TABLE job (
    id           uuid PRIMARY KEY,
    status       varchar(16)  NOT NULL,
    repository   text         NOT NULL,
    base_rev     text,
    head_rev     text,
    base_commit  varchar(64),
    head_commit  varchar(64),
    output_dir   text,
    units_total  integer      NOT NULL DEFAULT 0,
    units_done   integer      NOT NULL DEFAULT 0,
    errors       integer      NOT NULL DEFAULT 0,
    warnings     integer      NOT NULL DEFAULT 0,
    infos        integer      NOT NULL DEFAULT 0,
    outputs      text,
    message      text,
    created_at   timestamptz  NOT NULL,
    finished_at  timestamptz
);
CREATE INDEX job_created_at ON job (created_at DESC);
