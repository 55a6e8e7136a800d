CREATE TABLE tracked_job (
    job_id       varchar(64)  PRIMARY KEY,
    plan         text         NOT NULL,
    units_total  integer      NOT NULL,
    stage        varchar(16)  NOT NULL,
    review       text,
    outputs      text,
    message      text,
    notified     boolean      NOT NULL DEFAULT false,
    created_at   timestamptz  NOT NULL,
    published_at timestamptz
);
CREATE INDEX tracked_job_stage ON tracked_job (stage);

CREATE TABLE received_result (
    unit_id      varchar(64)  PRIMARY KEY,
    job_id       varchar(64)  NOT NULL REFERENCES tracked_job (job_id),
    payload      text         NOT NULL,
    received_at  timestamptz  NOT NULL
);
CREATE INDEX received_result_job ON received_result (job_id);
