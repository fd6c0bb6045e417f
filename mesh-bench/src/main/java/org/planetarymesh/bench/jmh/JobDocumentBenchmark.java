package org.planetarymesh.bench.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.planetarymesh.bench.BenchJobs;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.JobDocument;

/**
 * The JSON of a job: as the API shows it ({@code encodeJob}, the shared mapper) and as the store writes it on every
 * transition ({@code encodeStoredJob}, {@link JobDocument}: the spec's defaults left out).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JobDocumentBenchmark {

    private final ObjectWriter writer = Json.mapper().writerFor(Job.class);
    private final Job job = Job.submitted(JobIds.next(), BenchJobs.echo(7), Instant.now());

    @Benchmark
    public String encodeJob() throws JsonProcessingException {
        return writer.writeValueAsString(job);
    }

    @Benchmark
    public String encodeStoredJob() {
        return JobDocument.encode(job);
    }
}
