-- Posting without a long transaction (issue 14): a replica claims a stored review in a short transaction
-- (claimed_by = its owner id, claim_expires_at = now + lease), posts it holding no connection, renews the lease
-- while it posts, and records the outcome in another short transaction. A claim whose lease ran out (the
-- replica died or stalled) is taken over by any replica.
ALTER TABLE tracked_job ADD COLUMN claimed_by varchar(64);
ALTER TABLE tracked_job ADD COLUMN claim_expires_at timestamptz;
