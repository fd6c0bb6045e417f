-- Jobs: indexed columns for the list filters; doc is the whole Job as JSON and the source of truth.
-- Times are epoch milliseconds. Ids use the "C" collation so that ORDER BY id is plain byte order, which is time
-- order for UUIDv7 strings whatever the database's default locale.
CREATE TABLE jobs (
    id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    status          TEXT    NOT NULL,
    type            TEXT,
    node_id         TEXT,
    scope           TEXT,
    priority        INTEGER NOT NULL DEFAULT 0,
    idempotency_key TEXT,
    created_at      BIGINT,
    updated_at      BIGINT,
    doc             TEXT    NOT NULL
);

-- Partial: most jobs have no key, and NULLs need no uniqueness.
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- Each filter index ends in id so that "WHERE x = ? AND id < ? ORDER BY id DESC" walks one index range.
CREATE INDEX jobs_status_id ON jobs (status, id);
CREATE INDEX jobs_type_id ON jobs (type, id);
CREATE INDEX jobs_node_id ON jobs (node_id, id) WHERE node_id IS NOT NULL;
CREATE INDEX jobs_scope_id ON jobs (scope, id);

CREATE TABLE job_events (
    job_id TEXT COLLATE "C" NOT NULL,
    seq    BIGINT NOT NULL,
    doc    TEXT   NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE nodes (
    id      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name    TEXT,
    address TEXT,
    doc     TEXT
);
