-- The same tables as on PostgreSQL, so both dialects stay at one schema version. On SQLite only one coordinator ever
-- runs (the file is locked), so the lease is never contended; the coordinator does not read it.
CREATE TABLE coordinator_lease (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    epoch       INTEGER NOT NULL,
    holder      TEXT,
    holder_url  TEXT,
    renewals    INTEGER NOT NULL DEFAULT 0,
    acquired_at TEXT,
    renewed_at  TEXT
);
INSERT INTO coordinator_lease (id, epoch) VALUES (1, 0);

CREATE TABLE coordinators (
    id         TEXT PRIMARY KEY,
    url        TEXT NOT NULL,
    role       TEXT NOT NULL,
    started_at TEXT NOT NULL,
    seen_at    TEXT NOT NULL
);
