-- API tokens (docs/architecture.md, "Identity"): opaque bearer tokens, stored only as their SHA-256. The token itself
-- is shown once, when it is created. Revoked tokens stay (revoked_at) so that lists show who was cut off and when.
CREATE TABLE api_token (
    id           uuid         PRIMARY KEY,
    name         varchar(200) NOT NULL,
    token_sha256 char(64)     NOT NULL UNIQUE,
    scopes       varchar(500) NOT NULL,
    repository   varchar(255),
    created_at   timestamptz  NOT NULL,
    created_by   varchar(255) NOT NULL,
    expires_at   timestamptz,
    revoked_at   timestamptz
);
