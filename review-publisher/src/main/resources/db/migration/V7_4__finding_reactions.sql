-- 👍/👎 reactions on drep's inline comments (docs/architecture.md, "Learning from feedback"). A 👎 is a learning like
-- a justification: a justified_finding row of kind 'reaction' (author: who reacted), so it counts toward
-- suppress-after and is listed and forgotten the same way. A 👍 is counted accepted once per finding: accepted_finding
-- remembers which findings were counted, so a reaction read again at a later review counts nothing new.
ALTER TABLE justified_finding ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'justified';

CREATE TABLE accepted_finding (
    scope_key    text          NOT NULL,
    fingerprint  varchar(64)   NOT NULL,
    author       varchar(255)  NOT NULL,
    recorded_at  timestamptz   NOT NULL,
    PRIMARY KEY (scope_key, fingerprint)
);
