-- Each node's record of attempt outcomes, from which the coordinator computes its reputation (auctions: the
-- best_value score and requirements.min_reputation). Counts, not a score, so the formula can change without a
-- migration. Versioned 37.1 (issue 37) so it sorts after, and never collides with, migrations added alongside.
CREATE TABLE node_reputation (
    node_id          TEXT PRIMARY KEY,
    completed        BIGINT NOT NULL CHECK (completed >= 0),
    failed           BIGINT NOT NULL CHECK (failed >= 0),
    timed_out        BIGINT NOT NULL CHECK (timed_out >= 0),
    invalid_receipts BIGINT NOT NULL CHECK (invalid_receipts >= 0),
    updated_at       TEXT NOT NULL
);
