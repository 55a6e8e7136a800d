-- File reservations: a holder's advisory lease on a path pattern of a repository.
-- Conflicts are decided in the service (exact pattern overlap); reserve calls of one repository are
-- serialized with a transaction-scoped advisory lock on the repository key, so no row-level trickery here.
CREATE TABLE reservation (
    id          uuid         PRIMARY KEY,
    repository  text         NOT NULL,
    holder      text         NOT NULL,
    pattern     text         NOT NULL,
    exclusive   boolean      NOT NULL,
    reason      text,
    created_at  timestamptz  NOT NULL,
    renewed_at  timestamptz  NOT NULL,
    expires_at  timestamptz  NOT NULL,
    -- set when released, force-released or swept after expiry; never cleared (no revival)
    ended_at    timestamptz,
    ended_by    text,
    end_kind    varchar(16),
    end_note    text,
    CONSTRAINT reservation_end_kind CHECK (end_kind IN ('RELEASED', 'FORCE_RELEASED', 'EXPIRED')),
    CONSTRAINT reservation_ended CHECK ((ended_at IS NULL) = (end_kind IS NULL))
);
-- The hot query: a repository's reservations that have not ended, in creation order. Partial, because
-- ended rows stay for the retention (7 days by default) and can outnumber the live ones by far. The
-- sweep's search for expired live rows reads the same small index (hence expires_at in it) instead of
-- an index of its own: with a global index on expires_at the planner was seen to answer the hot query
-- from that one, filtering every repository's live rows, ten times slower.
CREATE INDEX reservation_live ON reservation (repository, created_at, id) INCLUDE (expires_at)
    WHERE ended_at IS NULL;
-- listings, newest first
CREATE INDEX reservation_listing ON reservation (repository, created_at DESC);
-- the sweep's deletion of ended rows past the retention
CREATE INDEX reservation_ended_at ON reservation (ended_at) WHERE ended_at IS NOT NULL;

-- When a holder last did something in a repository (reserve, renew, release, guard check): the basis
-- of "stale" for force-release.
CREATE TABLE reservation_activity (
    repository  text         NOT NULL,
    holder      text         NOT NULL,
    seen_at     timestamptz  NOT NULL,
    PRIMARY KEY (repository, holder)
);
