-- API tokens: only the SHA-256 of each token is kept; the token itself is shown once, when created.
-- Times are epoch milliseconds; revoked_at is NULL while the token is valid.
CREATE TABLE api_tokens (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT,
    role       TEXT    NOT NULL,
    hash       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
