package org.planetarymesh.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Runs one {@code mesh bench} scenario against a mesh on loopback and prints its {@code RESULT} lines. */
public final class BenchRunner {

    /** The scenarios {@link #run} knows. */
    public static final List<String> SCENARIOS =
            List.of("throughput", "latency", "many-agents", "backlog", "auction", "receipts", "inference", "wasm");

    private BenchRunner() {}

    /** Runs the scenario; returns the process exit code (0 when it completed). */
    public static int run(BenchOptions options, PrintStream out, PrintStream err) throws Exception {
        String scenario = options.scenario().toLowerCase(Locale.ROOT);
        if (!SCENARIOS.contains(scenario)) {
            err.println("unknown scenario '" + options.scenario() + "'; choose one of " + SCENARIOS);
            return 2;
        }
        Results results = new Results(out);
        try (MeshUnderTest mesh = MeshUnderTest.open(options)) {
            results.note("# mesh bench " + scenario + ": coordinator "
                    + (mesh.inProcess() ? "in-process at " : "at ") + mesh.url() + ", store "
                    + (options.databaseUrl() == null
                            ? "SQLite (default)"
                            : options.databaseUrl().replaceAll("//[^@]*@", "//***@"))
                    + ", " + Runtime.getRuntime().availableProcessors() + " cores, JDK "
                    + Runtime.version());
            try (DashboardViewers viewers = DashboardViewers.open(mesh.url(), mesh.token(), options.dashboards())) {
                runScenario(scenario, mesh, options, results, err);
                if (options.dashboards() > 0) {
                    results.note("# dashboards open during the run: " + options.dashboards() + ", live summaries"
                            + " received: " + viewers.summaries());
                }
            }
        }
        return 0;
    }

    private static void runScenario(
            String scenario, MeshUnderTest mesh, BenchOptions options, Results results, PrintStream err)
            throws Exception {
        switch (scenario) {
            case "throughput" ->
                withAgents(mesh, options, 4, () -> {
                    ThroughputScenario.run(mesh, options, "throughput", results, err);
                });
            case "latency" ->
                withAgents(mesh, options, 1, () -> {
                    LatencyScenario.run(mesh, options, results, err);
                });
            case "auction" ->
                withAgents(mesh, options, 4, () -> {
                    AuctionScenario.run(mesh, options, results, err);
                });
            case "receipts" ->
                withAgents(mesh, options, 4, () -> {
                    ReceiptsScenario.run(mesh, options, results, err);
                });
            case "wasm" ->
                withAgents(mesh, options, 1, () -> {
                    WasmScenario.run(mesh, options, results, err);
                });
            case "many-agents" -> ManyAgentsScenario.run(mesh, options, results, err);
            case "inference" -> InferenceScenario.run(mesh, options, results, err);
            case "backlog" -> BacklogScenario.run(mesh, options, results, err);
            default -> throw new IllegalStateException(scenario);
        }
    }

    /** The body of a scenario that needs real agents already connected. */
    private interface Body {
        void run() throws Exception;
    }

    private static void withAgents(MeshUnderTest mesh, BenchOptions options, int defaultAgents, Body body)
            throws Exception {
        int count = BenchOptions.or(options.agents(), defaultAgents);
        try (AgentProcesses agents = AgentProcesses.start(
                count, mesh.url(), mesh.token(), BenchOptions.or(options.concurrency(), 64), mesh.workDir())) {
            if (!mesh.awaitNodes(count, Duration.ofSeconds(60))) {
                throw new IllegalStateException(
                        "not all " + count + " agents connected within 60 s; see their logs under " + mesh.workDir());
            }
            body.run();
        }
    }
}
