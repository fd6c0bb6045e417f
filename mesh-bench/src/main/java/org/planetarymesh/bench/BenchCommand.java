package org.planetarymesh.bench;

import java.util.concurrent.Callable;
import org.planetarymesh.core.job.PlacementPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mesh bench}: runs a benchmark scenario on loopback and prints {@code RESULT name=value unit} lines. The main
 * class of {@code mesh-bench.jar}, which the {@code ./mesh} launcher runs for {@code ./mesh bench ...}; the product jar
 * does not carry the harness.
 */
@Command(
        name = "mesh bench",
        description = "Benchmark a mesh on loopback: throughput, latency, many-agents, backlog, auction, receipts or"
                + " inference.",
        mixinStandardHelpOptions = true)
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            description = "Scenario: throughput, latency, many-agents, backlog, auction, receipts (throughput with"
                    + " receipts off vs on) or inference.")
    String scenario;

    @Option(
            names = "--jobs",
            description =
                    "Jobs to run (throughput 50000, latency 2000, backlog 1000000; inference 100 requests each way).")
    int jobs;

    @Option(names = "--agents", description = "Agents (throughput/backlog 4 processes, latency 1, many-agents 1000).")
    int agents;

    @Option(names = "--database-url", description = "PostgreSQL or SQLite URL for the in-process coordinator.")
    String databaseUrl;

    @Option(names = "--coordinator", description = "Benchmark a running coordinator instead of starting one.")
    String coordinator;

    @Option(names = "--token", description = "Admin token of --coordinator.")
    String token;

    @Option(names = "--concurrency", description = "Slots per agent (default 64; many-agents 8).")
    int concurrency;

    @Option(names = "--batch", description = "Jobs per submit request (default 1000).")
    int batch;

    @Option(names = "--clients", description = "Concurrent submitting threads (default 2).")
    int clients;

    @Option(names = "--timeout", description = "Seconds the scenario may take before it fails (default 600).")
    int timeoutSeconds;

    @Option(
            names = "--warmup",
            description = "Jobs run and not counted before measuring, so the JIT has compiled the path as in a"
                    + " coordinator that has been serving (default 100000; latency 20000; -1: none).")
    int warmup;

    @Option(
            names = "--placement",
            description = "Placement policy of the submitted jobs: first-healthy, least-loaded (the jobs' default),"
                    + " bin-pack or auction.")
    String placement;

    @Option(
            names = "--dashboards",
            description = "Dashboards kept open during the run: each follows the overview's live feed (/ui/live), as"
                    + " an open browser tab does (default 0).")
    int dashboards;

    @Option(
            names = "--backend",
            description = "inference: the OpenAI-compatible server to measure (e.g. http://127.0.0.1:8080); default: a"
                    + " llama-server with a tiny random model, built once by scripts/llama-server.sh.")
    String backend;

    @Option(names = "--model", description = "inference: the model to ask --backend for (default tiny).")
    String model;

    /** Runs a scenario: {@code java -jar mesh-bench.jar throughput ...}. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new BenchCommand()).execute(args));
    }

    private PlacementPolicy placementPolicy() {
        if (placement == null) {
            return null;
        }
        return PlacementPolicy.fromWire(placement)
                .orElseThrow(() -> new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--placement must be first-healthy, least-loaded, bin-pack or auction (got '" + placement
                                + "')"));
    }

    @Override
    public Integer call() throws Exception {
        return BenchRunner.run(
                new BenchOptions(
                        scenario,
                        jobs,
                        agents,
                        databaseUrl,
                        coordinator,
                        token,
                        concurrency,
                        batch,
                        clients,
                        timeoutSeconds,
                        warmup,
                        placementPolicy(),
                        dashboards,
                        backend,
                        model),
                System.out,
                System.err);
    }
}
