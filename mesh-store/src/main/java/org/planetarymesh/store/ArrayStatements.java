package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobWriteBatch.Phase;

/**
 * PostgreSQL's phase statements: one statement per kind over arrays, one array per column ({@code unnest}), the rows
 * it changed named by {@code RETURNING}. A JDBC batch of one-row statements still costs the server an executor
 * start-up per row, and in a profile of the PostgreSQL throughput bench the server's one writing backend was the
 * busiest process: with these statements the bench ran 8.8k → 11.4k jobs/s (docs/adr/0016).
 */
final class ArrayStatements implements PhaseStatements {

    static final String INSERT_JOBS = "INSERT INTO jobs (id, status, type, node_id, scope, priority, idempotency_key,"
            + " created_at, updated_at, doc, owner) SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::int[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[])"
            + " ON CONFLICT DO NOTHING RETURNING id";
    // Each row's legal previous statuses travel as one space-separated string; ids compare in the column's "C"
    // collation, so the primary key serves the join.
    static final String UPDATE_JOBS = "UPDATE jobs SET status = u.status, node_id = u.node_id,"
            + " updated_at = u.updated_at, doc = u.doc FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[],"
            + " ?::text[], ?::text[]) AS u(id, status, node_id, updated_at, doc, allowed_from)"
            + " WHERE jobs.id = u.id COLLATE \"C\" AND jobs.status = ANY (string_to_array(u.allowed_from, ' '))"
            + " RETURNING jobs.id";
    static final String INSERT_EVENTS = "INSERT INTO job_events (job_id, seq, doc)"
            + " SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[]) ON CONFLICT DO NOTHING RETURNING job_id, seq";

    private static final Map<JobStatus, String> ALLOWED_FROM_WORDS = allowedFromWords();

    private final JobWriteBatch batch;

    ArrayStatements(JobWriteBatch batch) {
        this.batch = batch;
    }

    @Override
    public void insertJobs(Phase phase) throws SQLException {
        int n = phase.size();
        String[] ids = new String[n], statuses = new String[n], types = new String[n], nodes = new String[n];
        String[] scopes = new String[n], keys = new String[n], docs = new String[n], owners = new String[n];
        Integer[] priorities = new Integer[n];
        Long[] created = new Long[n], updated = new Long[n];
        for (int k = 0; k < n; k++) {
            int index = phase.index(k);
            Job job = batch.job(index);
            ids[k] = job.id();
            statuses[k] = job.status().name();
            types[k] = job.spec().type();
            nodes[k] = job.nodeId();
            scopes[k] = job.spec().scope().name();
            priorities[k] = job.spec().priority();
            keys[k] = job.spec().idempotencyKey();
            created[k] = millis(job.createdAt());
            updated[k] = millis(job.updatedAt());
            docs[k] = batch.document(index);
            owners[k] = job.owner();
        }
        PreparedStatement s = batch.statement(INSERT_JOBS);
        bind(s, "text", ids, statuses, types, nodes, scopes);
        bind(s, 6, "int4", priorities);
        bind(s, 7, "text", keys);
        bind(s, 8, "int8", created);
        bind(s, 9, "int8", updated);
        bind(s, 10, "text", docs);
        bind(s, 11, "text", owners);
        recordReturned(s, phase, ids, null, Outcome.CONFLICT);
    }

    @Override
    public void updateJobs(Phase phase) throws SQLException {
        int n = phase.size();
        String[] ids = new String[n], statuses = new String[n], nodes = new String[n], docs = new String[n];
        String[] allowed = new String[n];
        Long[] updated = new Long[n];
        for (int k = 0; k < n; k++) {
            int index = phase.index(k);
            Job job = batch.job(index);
            ids[k] = job.id();
            statuses[k] = job.status().name();
            nodes[k] = job.nodeId();
            updated[k] = millis(job.updatedAt());
            docs[k] = batch.document(index);
            allowed[k] = ALLOWED_FROM_WORDS.get(job.status());
        }
        PreparedStatement s = batch.statement(UPDATE_JOBS);
        bind(s, "text", ids, statuses, nodes);
        bind(s, 4, "int8", updated);
        bind(s, 5, "text", docs);
        bind(s, 6, "text", allowed);
        recordReturned(s, phase, ids, null, Outcome.REFUSED);
    }

    @Override
    public void insertEvents(Phase phase) throws SQLException {
        int n = phase.size();
        String[] jobIds = new String[n], docs = new String[n];
        Long[] seqs = new Long[n];
        for (int k = 0; k < n; k++) {
            int index = phase.index(k);
            JobEvent event = batch.event(index);
            jobIds[k] = event.jobId();
            seqs[k] = event.seq();
            docs[k] = batch.document(index);
        }
        PreparedStatement s = batch.statement(INSERT_EVENTS);
        bind(s, 1, "text", jobIds);
        bind(s, 2, "int8", seqs);
        bind(s, 3, "text", docs);
        recordReturned(s, phase, jobIds, seqs, Outcome.CONFLICT);
    }

    /** An {@code UPDATE ... FROM} joins each target row once, however many array rows name it. */
    @Override
    public boolean updatesOneRowTwice() {
        return false;
    }

    /**
     * Gives each write of {@code phase} its outcome from the keys the statement returned: a returned key marks the
     * first write with that key not yet matched (a key twice in one insert adds one row), the rest get {@code
     * whenNoRow}. A key is the id, and for events the seq with it.
     */
    private void recordReturned(PreparedStatement s, Phase phase, String[] ids, Long[] seqs, Outcome whenNoRow)
            throws SQLException {
        Map<String, ArrayDeque<Integer>> byKey = new HashMap<>(phase.size() * 2);
        for (int k = 0; k < phase.size(); k++) {
            batch.outcome(phase.index(k), whenNoRow);
            byKey.computeIfAbsent(key(ids[k], seqs == null ? null : seqs[k]), x -> new ArrayDeque<>())
                    .add(phase.index(k));
        }
        try (ResultSet changed = s.executeQuery()) {
            while (changed.next()) {
                String key = key(changed.getString(1), seqs == null ? null : changed.getLong(2));
                ArrayDeque<Integer> pending = byKey.get(key);
                if (pending == null || pending.isEmpty()) {
                    throw new StoreException("the database reported a row this batch did not write: " + key);
                }
                batch.outcome(pending.poll(), Outcome.APPLIED);
            }
        }
    }

    private static String key(String id, Long seq) {
        return seq == null ? id : id + ' ' + seq;
    }

    private void bind(PreparedStatement s, String type, String[]... columnsFromFirst) throws SQLException {
        for (int c = 0; c < columnsFromFirst.length; c++) {
            bind(s, c + 1, type, columnsFromFirst[c]);
        }
    }

    private void bind(PreparedStatement s, int parameter, String type, Object[] column) throws SQLException {
        s.setArray(parameter, batch.connection().createArrayOf(type, column));
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    private static Map<JobStatus, String> allowedFromWords() {
        Map<JobStatus, String> words = new EnumMap<>(JobStatus.class);
        JobWriteBatch.ALLOWED_FROM.forEach((next, from) -> words.put(
                next, String.join(" ", Arrays.stream(from).map(JobStatus::name).toList())));
        return words;
    }
}
