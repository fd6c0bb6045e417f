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
import org.planetarymesh.bench.BenchJobs;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.store.Database;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.JobStore.Write;

/**
 * One group commit on the default SQLite store: a batch of {@code size} new jobs with their creation events (two writes
 * per job, as the submit path makes them), committed in one transaction with one fsync. Time per batch.
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
}
