package org.planetarymesh.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfigLoader;
import org.planetarymesh.cli.config.LogFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh agent}: joins this machine to a mesh. Settings come from these flags, then {@code MESH_*} environment
 * variables, then {@code agent.toml} ({@code --config}); flags win.
 */
@Command(name = "agent", description = "Run an agent that dials a coordinator and executes jobs.")
public final class AgentCommand implements Callable<Integer> {

    @Option(
            names = "--coordinator",
            description = "Coordinator URL (:7070, host:7070 or http(s)://...); several comma-separated (a leader and"
                    + " its standbys: the agent finds the leader).")
    String coordinator;

    @Option(names = "--token", description = "Join token (the coordinator's admin token for now).")
    String token;

    @Option(names = "--name", description = "Display name of this node.")
    String name;

    @Option(names = "--capabilities", description = "Comma-separated capabilities to advertise.")
    String capabilities;

    @Option(names = "--max-concurrent", description = "Jobs run at once (default: cores x 4).")
    String maxConcurrent;

    @Option(names = "--labels", description = "Comma-separated k=v labels.")
    String labels;

    @Option(names = "--config", description = "An agent.toml file.")
    String config;

    @Option(names = "--data-dir", description = "Where the node key and work files live.")
    String dataDir;

    @Option(
            names = "--allow-shell",
            description = "Comma-separated commands the shell executor may run (off if empty).")
    String allowShell;

    @Option(names = "--allow-http", description = "Comma-separated hosts the http executor may call.")
    String allowHttp;

    @Option(names = "--http-port", description = "Port of the local /healthz and /execute API (0: any free, -1: off).")
    String httpPort;

    @Option(
            names = "--execute-token",
            description = "Serve the local POST /execute to callers bearing this token (16+ characters; off without).")
    String executeToken;

    @Option(
            names = "--metrics-token",
            description = "Serve the local GET /metrics (Prometheus) to callers bearing this token (16+ characters;"
                    + " off without).")
    String metricsToken;

    @Option(
            names = "--plugins",
            paramLabel = "DIR",
            description = "Directory of executor jars to load (see docs/EXECUTORS.md).")
    String plugins;

    @Option(
            names = "--executor-setting",
            paramLabel = "NAME.KEY=VALUE",
            description = "A setting of one executor, e.g. checksum.algorithm=SHA-256 (repeatable).")
    Map<String, String> executorSettings = new LinkedHashMap<>();

    @Option(names = "--fallback", description = "Executor for job types no other rule matches.")
    String fallback;

    @Option(names = "--categories", description = "Comma-separated type=executor routing categories.")
    String categories;

    @Option(names = "--ca-file", description = "CA certificate(s) (PEM) to trust for an https coordinator.")
    String caFile;

    @Option(names = "--tls-cert", description = "Client certificate chain (PEM) for a coordinator requiring mTLS.")
    String tlsCert;

    @Option(names = "--tls-key", description = "The PKCS#8 private key (PEM) of --tls-cert.")
    String tlsKey;

    @Option(
            names = "--bid-price-per-job",
            paramLabel = "TYPE=CREDITS,...",
            description = "Auction bids: price per job by job type, * for any other (see docs/CONFIGURATION.md).")
    String bidPricePerJob;

    @Option(
            names = "--bid-price-per-second",
            paramLabel = "TYPE=CREDITS,...",
            description = "Auction bids: price per second of a job's timeout_ms, by job type.")
    String bidPricePerSecond;

    @Option(names = "--bid-min-price", paramLabel = "CREDITS", description = "Auction bids: the least it bids.")
    String bidMinPrice;

    @Option(
            names = "--bid-eta-ms",
            paramLabel = "TYPE=MS,...",
            description = "Auction bids: how soon it starts a job of each type.")
    String bidEtaMs;

    @Option(
            names = "--bid-standing-offers",
            paramLabel = "true|false",
            description = "Advertise per-job prices in heartbeats, so auction jobs may skip the round of bids.")
    String bidStandingOffers;

    @Option(
            names = "--peer-mesh",
            paramLabel = "URL",
            description = "Join as a peer link: this node stands for the mesh at URL, advertises what its nodes have"
                    + " and hands every job it gets over to it (also --executor-setting peer.KEY=VALUE).")
    String peerMesh;

    @Option(
            names = "--peer-token",
            paramLabel = "TOKEN",
            description = "With --peer-mesh: a token of that mesh with role submit.")
    String peerToken;

    @Option(
            names = "--tools",
            paramLabel = "NAME,...",
            description = "Programs to look for on PATH; each found one is advertised as capability tool:NAME.")
    String tools;

    @Option(names = "--offer-cpus", paramLabel = "N", description = "Offer at most N of the detected cores.")
    String offerCpus;

    @Option(names = "--offer-memory-mb", paramLabel = "MB", description = "Offer at most this much of the memory.")
    String offerMemoryMb;

    @Option(names = "--offer-gpus", paramLabel = "N", description = "Offer at most N of the detected GPUs.")
    String offerGpus;

    @Option(
            names = "--log-format",
            paramLabel = "text|json",
            description = "Log lines as text (default) or JSON (env MESH_LOG_FORMAT).")
    String logFormat;

    @Override
    public Integer call() throws InterruptedException {
        String format = logFormat != null ? logFormat : System.getenv("MESH_LOG_FORMAT");
        LogFormat.apply(format, logFormat != null ? "flag --log-format" : "environment variable MESH_LOG_FORMAT");
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, "coordinator", coordinator);
        put(flags, "token", token);
        put(flags, "name", name);
        put(flags, "capabilities", capabilities);
        put(flags, "max_concurrent", maxConcurrent);
        put(flags, "labels", labels);
        put(flags, "config", config);
        put(flags, "data_dir", dataDir);
        put(flags, "allow_shell", allowShell);
        put(flags, "allow_http", allowHttp);
        put(flags, "http_port", httpPort);
        put(flags, "fallback", fallback);
        put(flags, "categories", categories);
        put(flags, "ca_file", caFile);
        put(flags, "tls_cert", tlsCert);
        put(flags, "tls_key", tlsKey);
        put(flags, "execute_token", executeToken);
        put(flags, "metrics_token", metricsToken);
        put(flags, "plugins", plugins);
        put(flags, "bid_price_per_job", bidPricePerJob);
        put(flags, "bid_price_per_second", bidPricePerSecond);
        put(flags, "bid_min_price", bidMinPrice);
        put(flags, "bid_eta_ms", bidEtaMs);
        put(flags, "bid_standing_offers", bidStandingOffers);
        put(flags, "tools", tools);
        put(flags, "offer_cpus", offerCpus);
        put(flags, "offer_memory_mb", offerMemoryMb);
        put(flags, "offer_gpus", offerGpus);
        executorSettings.forEach((key, value) -> flags.put(AgentConfigLoader.EXECUTOR_PREFIX + key, value));
        put(flags, AgentConfigLoader.EXECUTOR_PREFIX + "peer.mesh", peerMesh);
        put(flags, AgentConfigLoader.EXECUTOR_PREFIX + "peer.token", peerToken);
        Agent agent = Agent.start(AgentConfigLoader.load(flags));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }));
        System.out.println(startedLine(agent));
        stopped.await();
        return 0;
    }

    /** What the agent says once it runs; without a coordinator, that it is standalone and how to join a mesh. */
    static String startedLine(Agent agent) {
        String api = agent.httpPort() > 0 ? "http://127.0.0.1:" + agent.httpPort() : null;
        if (agent.config().coordinator() != null) {
            return "Agent " + agent.nodeId() + " started" + (api == null ? "" : "; local API on " + api);
        }
        return "Agent " + agent.nodeId() + " started standalone (push-only): no --coordinator was given, so it joins"
                + " no mesh and "
                + (api == null
                        ? "with its local API off it can run nothing"
                        : "runs only jobs sent to its local API, POST " + api + "/execute (an admin can register it"
                                + " with POST /v1/nodes)")
                + ". To join a mesh: ./mesh agent --coordinator URL --token TOKEN (or set MESH_COORDINATOR and"
                + " MESH_TOKEN, or coordinator and token in agent.toml)";
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
