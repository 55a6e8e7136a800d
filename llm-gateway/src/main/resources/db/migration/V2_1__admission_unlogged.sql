-- The shared admission state is a lease-bound picture of what is in flight now, not a record: it need not survive
-- a crash of PostgreSQL, so it is written without WAL (UNLOGGED). Each admission and release then commits without
-- waiting for a WAL flush. After a crash (or a fail-over: unlogged tables are not replicated) the tables come back
-- empty: every replica's next admission finds no lease, its heartbeat registers it again, and holds and rate
-- windows start afresh (docs/architecture.md, "Replicas share their limits").
ALTER TABLE admission_replica SET UNLOGGED;
ALTER TABLE admission_hold SET UNLOGGED;
ALTER TABLE admission_rate SET UNLOGGED;
