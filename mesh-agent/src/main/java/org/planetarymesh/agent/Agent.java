package org.planetarymesh.agent;

import java.nio.file.Path;
import java.util.List;
import org.planetarymesh.agent.api.LocalApi;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.agent.config.InvalidConfigException;
import org.planetarymesh.agent.executor.CapabilityRouter;
import org.planetarymesh.agent.executor.InstalledExecutors;
import org.planetarymesh.agent.executor.PluginJars;
import org.planetarymesh.agent.executor.builtin.EchoExecutor;
import org.planetarymesh.agent.executor.builtin.HttpExecutor;
import org.planetarymesh.agent.executor.builtin.ShellExecutor;
import org.planetarymesh.agent.executor.builtin.SleepExecutor;
import org.planetarymesh.agent.executor.wasm.BlobCache;
import org.planetarymesh.agent.executor.wasm.WasmExecutor;
import org.planetarymesh.agent.federation.ForwardBoard;
import org.planetarymesh.agent.federation.PeerExecutor;
import org.planetarymesh.agent.federation.PeerMode;
import org.planetarymesh.agent.federation.PeerSettings;
import org.planetarymesh.agent.identity.NodeIdentity;
import org.planetarymesh.agent.inference.InferenceExecutor;
import org.planetarymesh.agent.inference.InferenceReport;
import org.planetarymesh.agent.link.CoordinatorLink;
import org.planetarymesh.agent.link.Outbox;
import org.planetarymesh.agent.metrics.AgentMetrics;
import org.planetarymesh.agent.runner.JobRunner;
import org.planetarymesh.core.datadir.DataDirLock;
import org.planetarymesh.core.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: identity, executors, job runner, local HTTP API and (if a coordinator is configured) the link.
 * {@link #start} returns at once, with the link dialling in the background; usable standalone ({@code mesh agent})
 * or embedded in the coordinator's JVM ({@code mesh up}).
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final NodeIdentity identity;
    private final JobRunner runner;
    private final Outbox outbox;
    private final LocalApi api;
    private final CoordinatorLink link;
    private final List<String> executors;
    private final InstalledExecutors installed;
    private final ClassLoader pluginLoader;
    private final AgentMetrics metrics;
    private final DataDirLock lock; // one agent per data dir: two would share one identity
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Agent(AgentConfig config, ClassLoader executorLoader, DataDirLock lock) {
        this.lock = lock;
        this.identity = NodeIdentity.loadOrCreate(config.dataDir());
        // A peer link stands for another mesh: it advertises that mesh and hands every job over to it.
        PeerSettings peer = PeerSettings.of(config.executorSettings());
        ForwardBoard forwards = new ForwardBoard();
        config = peer == null ? config : PeerMode.configure(config, peer);
        this.config = config;
        this.pluginLoader = PluginJars.loader(config.plugins(), executorLoader);
        this.installed = InstalledExecutors.start(
                peer != null
                        ? List.of(new PeerExecutor(peer, identity, forwards))
                        : List.of(
                                new EchoExecutor(),
                                new SleepExecutor(),
                                new ShellExecutor(),
                                new HttpExecutor(),
                                new InferenceExecutor(),
                                new WasmExecutor(blobCache(config))),
                pluginLoader,
                config);
        this.metrics = new AgentMetrics(config.maxConcurrent());
        JobRunner started = null;
        try {
            CapabilityRouter router = router(installed, config);
            this.executors = router.executorNames();
            this.outbox = new Outbox(config.outboxCapacity());
            started = new JobRunner(
                    router, config.maxConcurrent(), config.dataDir().resolve("work"), metrics);
            this.runner = started;
            metrics.watchRunning(started::runningCount);
            metrics.expect(executors);
            this.api = config.httpPort() >= 0 ? startApi(config, runner, identity.nodeId(), metrics) : null;
            this.link = config.coordinator() == null
                    ? null
                    : new CoordinatorLink(
                            config,
                            identity,
                            runner,
                            outbox,
                            executors,
                            inferenceReport(installed),
                            forwards::remember);
        } catch (RuntimeException e) {
            // A start that fails half way releases what the executors and the runner already hold.
            if (started != null) {
                started.close();
            }
            installed.close();
            PluginJars.close(pluginLoader);
            metrics.close();
            throw e;
        }
    }

    private static InferenceReport inferenceReport(InstalledExecutors installed) {
        return installed.byName().get("inference") instanceof InferenceReport report ? report : InferenceReport.NONE;
    }

    /** What this agent advertises about inference (models, capacity, speed). */
    public InferenceReport inference() {
        return inferenceReport(installed);
    }

    /** The agent's copy of the coordinator's blobs (the modules of {@code wasm} jobs), in its data dir. */
    private static BlobCache blobCache(AgentConfig config) {
        String coordinator = config.coordinator() == null
                ? null
                // Blobs are fetched from the first coordinator given; a standby redirects the request to the leader.
                : org.planetarymesh.core.net.CoordinatorUrls.normalize(config.coordinator())
                        .getFirst()
                        .replaceFirst("^ws", "http");
        return new BlobCache(
                config.dataDir().resolve("blobs"),
                coordinator,
                config.token(),
                coordinator == null ? null : org.planetarymesh.agent.link.TlsOptions.httpClient(config));
    }

    private static CapabilityRouter router(InstalledExecutors installed, AgentConfig config) {
        try {
            return new CapabilityRouter(installed.byName(), config.categories(), config.fallback());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(
                    e.getMessage().startsWith("fallback") ? "fallback" : "categories", e.getMessage());
        }
    }

    private static LocalApi startApi(AgentConfig config, JobRunner runner, String nodeId, AgentMetrics metrics) {
        try {
            return LocalApi.start(
                    runner,
                    nodeId,
                    config.httpHost(),
                    config.httpPort(),
                    config.executeToken(),
                    new LocalApi.Metrics(metrics, config.metricsToken()));
        } catch (RuntimeException e) {
            throw new InvalidConfigException(
                    "http_port",
                    "http_port: cannot listen on " + config.httpHost() + ":" + config.httpPort() + " (" + e.getMessage()
                            + "); choose another port with --http-port, 0 for any free port, or -1 to turn the API off");
        }
    }

    /** Starts an agent with the built-in executors and those in the jars of its plugins directory. */
    public static Agent start(AgentConfig config) {
        return start(config, Thread.currentThread().getContextClassLoader());
    }

    /** As {@link #start(AgentConfig)}, also finding executors on {@code executorLoader} (the plugins' parent). */
    public static Agent start(AgentConfig config, ClassLoader executorLoader) {
        DataDirLock lock = DataDirLock.acquire(config.dataDir(), "agent");
        Agent agent;
        try {
            agent = new Agent(config, executorLoader, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        if (agent.link != null) {
            agent.link.start();
        }
        LOG.info(
                "agent {} started: executors {}, max_concurrent {}, http {}{}",
                agent.nodeId(),
                agent.executors,
                config.maxConcurrent(),
                agent.api == null ? "off" : config.httpHost() + ":" + agent.api.port(),
                agent.api == null ? "" : config.executeToken().isEmpty() ? " (/execute off)" : " (/execute on)");
        return agent;
    }

    /** This node's did:key. */
    public String nodeId() {
        return identity.nodeId();
    }

    /** The local HTTP API's port, or -1 if it is off. */
    public int httpPort() {
        return api == null ? -1 : api.port();
    }

    /** Whether the link to the coordinator is up (always false without a coordinator). */
    public boolean connected() {
        return link != null && link.connected();
    }

    /** Installed executor names (built-ins and those found with ServiceLoader). */
    public List<String> executors() {
        return executors;
    }

    /** The attempts running now. */
    public List<Message.RunningJob> runningJobs() {
        return runner.running();
    }

    /** The configuration this agent runs with. */
    public AgentConfig config() {
        return config;
    }

    /** Where the agent keeps its key and work dirs. */
    public Path dataDir() {
        return config.dataDir();
    }

    /**
     * Stops gracefully: tells the coordinator it drains and takes no new jobs, lets running ones finish within
     * {@code shutdown_grace}, stops the rest as {@code agent_stopping}, gives the link a moment to send what is
     * buffered, then closes the link and the API.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        runner.drainToStop();
        if (link != null && link.connected()) {
            // The coordinator stops sending work now, not when the jobs still running come back as agent_stopping.
            outbox.offerOutcome(new Message.Drain("agent shutting down"));
        }
        try {
            if (!runner.awaitIdle(config.shutdownGrace())) {
                LOG.info(
                        "stopping jobs still running after {} ms",
                        config.shutdownGrace().toMillis());
            }
            runner.close();
            if (link != null && link.connected()) {
                outbox.awaitEmpty(java.time.Duration.ofSeconds(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (link != null) {
                link.close();
            }
            if (api != null) {
                api.close();
            }
            installed.close();
            PluginJars.close(pluginLoader);
            metrics.close();
            lock.close();
        }
    }
}
