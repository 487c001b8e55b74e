-- Access tokens (authentication on): only the SHA-256 of each secret is stored, never the secret.
-- A request looks its token up by that hash (the unique index), on every request, so a revocation
-- is seen by every replica at once. Revoked tokens keep their row (revoked_at) for the listing.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 15/16.
CREATE TABLE access_token (
    id            VARCHAR(32)              NOT NULL PRIMARY KEY,
    name          VARCHAR(200)             NOT NULL,
    scope         VARCHAR(128)             NOT NULL,
    write_access  BOOLEAN                  NOT NULL,
    secret_sha256 VARCHAR(64)              NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uk_access_token_secret UNIQUE (secret_sha256)
);

CREATE INDEX ix_access_token_created ON access_token (created_at, id);
