-- job_events is only ever read by its key (job_id, seq). As a rowid table it kept two B-trees (the rows, and the
-- automatic index for the primary key) and every event append wrote to both; WITHOUT ROWID stores the rows in the
-- key's own B-tree, so an append touches one. Event rows are small (a few hundred bytes), the case SQLite recommends
-- WITHOUT ROWID for.
CREATE TABLE job_events_by_key (
    job_id TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    doc    TEXT    NOT NULL,
    PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
INSERT INTO job_events_by_key (job_id, seq, doc) SELECT job_id, seq, doc FROM job_events;
DROP TABLE job_events;
ALTER TABLE job_events_by_key RENAME TO job_events;
