-- The node filter's index, written behind (BENCHMARKS.md item 27). An index on jobs (node_id, id) takes each
-- completion at its node's own place, so a commit spread over a thousand nodes dirtied a page per node: one 16 KiB
-- WAL frame for each job or so. Instead, each job written with a node appends that node to node_jobs_pending, in
-- time order (a page per commit), and the store moves the pending entries into node_jobs, sorted, once thousands
-- have gathered (SqliteNodeIndex): a page per node per move. Not by triggers: a statement that fires one writes a
-- statement journal of every page it touches, which cost more than the index did. The node filter reads both tables
-- and checks jobs.node_id, since a job retried on another node leaves its old entry behind.
CREATE TABLE node_jobs (
    node_id TEXT NOT NULL,
    job_id  TEXT NOT NULL,
    PRIMARY KEY (node_id, job_id)
) WITHOUT ROWID;
INSERT INTO node_jobs (node_id, job_id) SELECT node_id, id FROM jobs WHERE node_id IS NOT NULL;

CREATE TABLE node_jobs_pending (
    seq     INTEGER PRIMARY KEY,
    node_id TEXT NOT NULL,
    job_id  TEXT NOT NULL
);

DROP INDEX jobs_node_id;
