-- Recurring jobs (cron schedules). next_fire is the tick a schedule owes next, in epoch milliseconds: a fire moves it
-- on only if it still holds the tick the firing coordinator read, in the transaction that inserts the tick's job
-- (whose idempotency key names the schedule and that tick), so two coordinators never fire one tick twice.
CREATE TABLE schedules (
    id          TEXT PRIMARY KEY,
    cron        TEXT NOT NULL,
    zone        TEXT NOT NULL,
    job         TEXT NOT NULL,
    missed      TEXT NOT NULL,
    paused      INTEGER NOT NULL,
    next_fire   BIGINT,
    last_fire   BIGINT,
    last_job_id TEXT,
    created_at  BIGINT NOT NULL,
    owner       TEXT
);
