-- The model that produced each inline finding drep posts (Finding.model: the alias of the gateway route that answered;
-- null for deterministic analyzers and for comments posted before this column), so that what becomes of the finding
-- (accepted: a later push fixed it, or a 👍; rejected: justified, or a 👎) counts per rule and per model in
-- drep_publisher_finding_outcomes_total and GET /api/repositories/{id}/acceptance (docs/architecture.md, "Learning
-- from feedback"). Versioned V11_17 (issue 17) so that it cannot clash with other branches' V11 migrations.
ALTER TABLE posted_finding ADD COLUMN model text;
