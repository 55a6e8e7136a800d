CREATE TABLE processed_unit (
    unit_id      varchar(64)  PRIMARY KEY,
    job_id       varchar(64)  NOT NULL,
    processed_at timestamptz  NOT NULL
);
