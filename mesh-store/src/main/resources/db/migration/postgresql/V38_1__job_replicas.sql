-- The replicas of jobs run on several nodes to verify their output (spec "verify", issue 38): one row per replica,
-- naming the ordinary job that runs it and holding what the coordinator learnt of it (node, output CID, result,
-- verdict) as a JSON document. Written in the same group commit as the replica job's transitions, so a coordinator
-- restart in the middle of a quorum resumes from here. Versioned 38.1 so it never collides with migrations added
-- alongside.
CREATE TABLE job_replicas (
    job_id         TEXT NOT NULL,
    replica        INTEGER NOT NULL CHECK (replica >= 1),
    replica_job_id TEXT NOT NULL,
    doc            TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (job_id, replica)
);
