-- The hash-chained log of accepted execution receipts: entry seq commits to entry seq-1 (hash = sha256(prev ||
-- binary receipt CID)). Written in the same transaction as the job's COMPLETED transition.
CREATE TABLE receipt_log (
    seq         BIGINT PRIMARY KEY,
    job_id      TEXT   NOT NULL,
    attempt     INTEGER NOT NULL,
    receipt_cid TEXT   NOT NULL,
    prev        TEXT   NOT NULL,
    hash        TEXT   NOT NULL,
    receipt     TEXT   NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX receipt_log_job ON receipt_log (job_id);
