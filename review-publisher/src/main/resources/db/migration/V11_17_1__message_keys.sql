-- The message key of each inline finding drep posts (core MessageKeys: its message in lower case, with code spans,
-- numbers, spacing and final punctuation evened out), so that a message a repository keeps rejecting is suppressed
-- there like a rule (docs/architecture.md, "Learning from feedback"): the rejections (justified_finding) are joined to
-- the findings they reject here. Null for comments posted before this column.
ALTER TABLE posted_finding ADD COLUMN message_key text;
