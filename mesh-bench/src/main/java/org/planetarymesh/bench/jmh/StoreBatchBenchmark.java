package org.planetarymesh.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.planetarymesh.agent.identity.NodeIdentity;
import org.planetarymesh.bench.BenchJobs;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.store.Database;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.JobStore.Write;

/**
 * One group commit on the default SQLite store, committed in one transaction with one fsync; time per batch.
 * {@code insertBatch}: {@code size} new jobs with their creation events (two writes per job, as the submit path makes
 * them). {@code echoBatch}: a commit of the throughput bench's steady state, {@code size} new jobs and the completion
 * of the {@code size} jobs of the previous commit (placed on one of {@code nodes} nodes, with the COMPLETED and END
 * events the scheduler writes for a short attempt, whose ASSIGNED state it never writes, as the one row of a
 * {@link Write.AppendEnd}): four writes per job, the store's whole part of an echo job.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreBatchBenchmark {

    @Param({"1", "100", "1000"})
    int size;

    private Path dir;
    private Database database;
    private JobStore store;
    private long seq;
    private List<Job> queued = List.of();

    /** The nodes {@code echoBatch}'s jobs ran on: the four agents of {@code throughput}, or many-agents' thousand. */
    @State(Scope.Benchmark)
    public static class Fleet {
        @Param({"4", "1000"})
        int nodes;

        List<String> ids;

        @Setup(Level.Trial)
        public void connect() {
            ids = new ArrayList<>(nodes);
            for (int i = 0; i < nodes; i++) {
                byte[] seed = new byte[32];
                seed[0] = (byte) i;
                seed[1] = (byte) (i >> 8);
                ids.add(NodeIdentity.fromSeed(seed).nodeId());
            }
        }

        /** A least-loaded decision: the winner, then three more, as the scheduler keeps its best four. */
        Routing routing(String winner, Instant now) {
            List<Routing.Candidate> candidates = new ArrayList<>();
            candidates.add(new Routing.Candidate(winner, 1.0, null));
            int at = ids.indexOf(winner);
            for (int k = 1; k < Math.min(4, nodes); k++) {
                candidates.add(new Routing.Candidate(ids.get((at + k) % nodes), 1.0, null));
            }
            return new Routing("least-loaded", null, candidates, null, now);
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("mesh-jmh-store-");
        database = Database.sqlite(dir);
        store = database.jobs();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        database.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public List<JobStore.Outcome> insertBatch() {
        Instant now = Instant.now();
        List<Write> writes = new ArrayList<>(size * 2);
        for (int i = 0; i < size; i++) {
            Job job = Job.submitted(JobIds.next(), BenchJobs.echo(i), now);
            writes.add(new Write.Insert(job));
            writes.add(new Write.AppendEvent(JobEvent.status(job, ++seq)));
        }
        return store.apply(writes);
    }

    @Benchmark
    public List<JobStore.Outcome> echoBatch(Fleet fleet) {
        Instant now = Instant.now();
        List<Write> writes = new ArrayList<>(size * 4);
        List<Job> inserted = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Job job = Job.submitted(JobIds.next(), BenchJobs.echo(i), now);
            inserted.add(job);
            writes.add(new Write.Insert(job));
            writes.add(new Write.AppendEvent(JobEvent.status(job, ++seq)));
        }
        for (Job job : queued) {
            String node = fleet.ids.get(Math.floorMod(job.id().hashCode(), fleet.nodes));
            Job assigned = job.assign(node, fleet.routing(node, now), now);
            Job done = assigned.withRoute("echo", "exact")
                    .endAttempt(JobStatus.COMPLETED, "completed", job.spec().payload(), null, null, now);
            writes.add(new Write.Update(done));
            JobEvent status = JobEvent.status(done, ++seq);
            writes.add(new Write.AppendEnd(status, JobEvent.end(done, ++seq)));
        }
        queued = inserted;
        return store.apply(writes);
    }
}
