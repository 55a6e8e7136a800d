-- Findings whose thread got a reply explaining why the code is right ("justified", docs/architecture.md, "Justified
-- findings"), by pull request (scope_key as in posted_finding) and fingerprint: such a finding is not raised again on
-- that pull request and the summary lists it as justified. The first justification is kept (a redelivered or second
-- reply records nothing new). They are also the repository's learnings ("Learning from feedback"): repository_key
-- ("platform|api url|repository") groups them, rule (read from drep's comment) counts them per rule, id names one for
-- DELETE /api/repositories/{id}/learnings/{learningId}.
CREATE TABLE justified_finding (
    id              uuid          NOT NULL UNIQUE,
    repository_key  text          NOT NULL,
    scope_key       text          NOT NULL,
    pr_number       integer       NOT NULL,
    fingerprint     varchar(64)   NOT NULL,
    rule            text,
    author          varchar(255)  NOT NULL,
    reason          text          NOT NULL,
    reply_key       varchar(128)  NOT NULL,
    recorded_at     timestamptz   NOT NULL,
    PRIMARY KEY (scope_key, fingerprint)
);
CREATE INDEX justified_finding_repository ON justified_finding (repository_key, rule);

-- The rule of each inline finding drep posts, so that a finding resolved by a later push (accepted) counts for its
-- rule in drep_publisher_finding_outcomes_total even though the review no longer has it. Null for earlier comments.
ALTER TABLE posted_finding ADD COLUMN rule text;
