package org.planetarymesh.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;

/** Wire codec cost per frame: encoding {@code assign_job} and decoding {@code job_done}, the two frames of every job. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    private final MessageCodec codec = new MessageCodec();
    private final JsonNode payload = JsonNodeFactory.instance.objectNode().put("n", 42);
    private final Message.AssignJob assign = new Message.AssignJob(
            "0199a7b0-4c1e-7d3a-9f00-000000000001", 1, "echo", payload, null, null, "0199a7b0-4c1e/1");
    private final String done = codec.encode(
            new Message.JobDone("0199a7b0-4c1e-7d3a-9f00-000000000001", 1, payload, null, 0, "echo", null, null));

    @Benchmark
    public String encodeAssignJob() {
        return codec.encode(assign);
    }

    @Benchmark
    public Message decodeJobDone() {
        return codec.decode(done);
    }
}
