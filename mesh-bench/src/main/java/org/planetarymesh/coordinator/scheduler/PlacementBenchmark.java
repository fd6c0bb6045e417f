package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.planetarymesh.bench.BenchJobs;
import org.planetarymesh.coordinator.gateway.NodeLink;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.protocol.Message;

/**
 * The scheduler's decision for one job: a placement policy choosing among 4, 16 or 1,000 connected echo nodes, each
 * with 8 slots of which a varying share is taken, with its routing record. In the scheduler's package because the
 * placers are its internals (the JMH annotation processor generates code next to the benchmark).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlacementBenchmark {

    private static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");

    @Param({"4", "16", "1000"})
    public int nodes;

    @Param({"least-loaded", "bin-pack"})
    public String policy;

    private final Job job = Job.submitted(JobIds.next(), BenchJobs.echo(1), NOW);
    private List<NodeState> mesh;
    private ScoringPlacer placer;

    @Setup
    public void connect() {
        placer = policy.equals("bin-pack") ? new ScoringPlacer.BinPack() : new ScoringPlacer.LeastLoaded();
        mesh = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            String id = "did:key:z6MkBenchNode" + i;
            Message.Hello hello = new Message.Hello(
                    id,
                    id,
                    List.of("echo"),
                    List.of("echo"),
                    List.of(),
                    8,
                    null,
                    Map.of(),
                    null,
                    null,
                    null,
                    List.of());
            NodeState node = new NodeState(id, hello, new UnusedLink(), NOW, 0);
            for (int j = 0; j < i % 8; j++) {
                node.running.add(id + "-job-" + j);
            }
            mesh.add(node);
        }
    }

    @Benchmark
    public Placer.Verdict place() {
        return placer.decide(job, mesh, Set.of(), NOW);
    }

    /** Placing never sends. */
    private static final class UnusedLink implements NodeLink {
        @Override
        public void send(Message message) {}

        @Override
        public void close(String reason) {}

        @Override
        public String mode() {
            return "websocket";
        }

        @Override
        public String address() {
            return "bench";
        }
    }
}
