package org.planetarymesh.bench;

import java.io.PrintStream;
import java.time.Duration;

/** {@code many-agents}: a thousand lightweight agents connected and heartbeating, then the throughput scenario. */
final class ManyAgentsScenario {

    private ManyAgentsScenario() {}

    static void run(MeshUnderTest mesh, BenchOptions options, Results results, PrintStream err) throws Exception {
        int count = BenchOptions.or(options.agents(), 1_000);
        int slots = BenchOptions.or(options.concurrency(), 8);
        long t0 = System.nanoTime();
        try (LightAgents agents = LightAgents.connect(count, slots, mesh.url(), mesh.token())) {
            if (!mesh.awaitNodes(count, Duration.ofSeconds(60))) {
                throw new IllegalStateException("many-agents: not all " + count + " agents became healthy");
            }
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            results.result("many_agents_connected", count, "agents");
            results.result("many_agents_connect_time", Math.round(connectSeconds * 1000) / 1000.0, "s");
            // a few heartbeat rounds with nothing to do, so the run starts from a steady, heartbeating mesh
            Thread.sleep(2_000);
            ThroughputScenario.run(mesh, options, "many_agents_throughput", results, err);
        }
    }
}
