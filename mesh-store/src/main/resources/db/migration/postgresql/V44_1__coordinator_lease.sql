-- Leadership among coordinators sharing this database (issue 44). One row: the lease. Its epoch grows by one at every
-- takeover and fences writes: a transaction of the leader first reads the row FOR SHARE and aborts unless the epoch is
-- still its own. renewals counts the holder's renewals; a standby takes over once it has seen the count stand still for
-- a whole lease, measured on its own clock (no clock of another machine is trusted).
CREATE TABLE coordinator_lease (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    epoch       BIGINT NOT NULL,
    holder      TEXT,
    holder_url  TEXT,
    renewals    BIGINT NOT NULL DEFAULT 0,
    acquired_at TIMESTAMPTZ,
    renewed_at  TIMESTAMPTZ
);
INSERT INTO coordinator_lease (id, epoch) VALUES (1, 0);

-- Every coordinator on this database, leader or standby, with its address; seen_at is refreshed while it runs.
CREATE TABLE coordinators (
    id         TEXT PRIMARY KEY,
    url        TEXT NOT NULL,
    role       TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    seen_at    TIMESTAMPTZ NOT NULL
);
