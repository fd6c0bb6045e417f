-- Most jobs end COMPLETED and most run with scope HYBRID, so the status and scope list indexes leave those values
-- out: a new job then adds no scope entry, and its completion (an update that rewrites its status entry) no
-- status entry. Each filter on another value adds the predicate in literal SQL so that the planner may use these
-- indexes with a bound value; a filter on a left-out value walks the primary key, where most rows match
-- (JdbcJobStore.UNINDEXED_STATUS, BENCHMARKS.md item 36).
DROP INDEX jobs_status_id;
CREATE INDEX jobs_status_id ON jobs (status, id) WHERE status <> 'COMPLETED';
DROP INDEX jobs_scope_id;
CREATE INDEX jobs_scope_id ON jobs (scope, id) WHERE scope <> 'HYBRID';
