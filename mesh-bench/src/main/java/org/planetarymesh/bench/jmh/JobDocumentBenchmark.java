package org.planetarymesh.bench.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.job.SpecDefaultsLeftOut;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.JobDocument;

/**
 * The JSON of a job: as the API shows it ({@code encodeJob}, the shared mapper) and as the store writes it on every
 * transition ({@code encodeStoredJob} and, once it ran, {@code encodeStoredCompletedJob}: {@link JobDocument}, the
 * spec's defaults left out).
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
    private final Job completed = completed(job);
    private final ObjectWriter storedByMapper = SpecDefaultsLeftOut.mapper().writerFor(Job.class);

    @Benchmark
    public String encodeJob() throws JsonProcessingException {
        return writer.writeValueAsString(job);
    }

    @Benchmark
    public String encodeStoredJob() {
        return JobDocument.encode(job);
    }

    /** The document of the same job once it ran: its routing record (four candidates) and one attempt. */
    @Benchmark
    public String encodeStoredCompletedJob() {
        return JobDocument.encode(completed);
    }

    /** The same document written by the mapper's bean serialiser, as the store did before its hand-written writer. */
    @Benchmark
    public String encodeStoredCompletedJobWithMapper() throws JsonProcessingException {
        return storedByMapper.writeValueAsString(completed);
    }

    private static Job completed(Job queued) {
        Instant now = Instant.now();
        // As a placer records it: scored candidates best first, so the winner and runners-up are implied.
        List<Routing.Candidate> candidates = IntStream.range(0, 4)
                .mapToObj(i -> new Routing.Candidate("did:key:z6MkNode" + (3 - i), 0.25 * (3 - i), null))
                .toList();
        Routing routing = new Routing("least-loaded", null, candidates, null, now);
        return queued.assign("did:key:z6MkNode3", routing, now)
                .withRoute("echo", "exact")
                .endAttempt(JobStatus.COMPLETED, "COMPLETED", queued.spec().payload(), null, null, now);
    }
}
