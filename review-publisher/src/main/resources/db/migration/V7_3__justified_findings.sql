-- Findings whose thread got a reply explaining why the code is right ("justified", docs/architecture.md, "Justified
-- findings"), by pull request (scope_key as in posted_finding) and fingerprint: such a finding is not raised again on
-- that pull request and the summary lists it as justified. The first justification is kept (a redelivered or second
-- reply records nothing new). rule is read from drep's comment, for learning per repository and rule.
CREATE TABLE justified_finding (
    scope_key    text          NOT NULL,
    fingerprint  varchar(64)   NOT NULL,
    rule         text,
    author       varchar(255)  NOT NULL,
    reason       text          NOT NULL,
    reply_key    varchar(128)  NOT NULL,
    recorded_at  timestamptz   NOT NULL,
    PRIMARY KEY (scope_key, fingerprint)
);
