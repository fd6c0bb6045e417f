package org.planetarymesh.coordinator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import org.planetarymesh.coordinator.api.ApiServer;
import org.planetarymesh.coordinator.auth.AdminToken;
import org.planetarymesh.coordinator.auth.ApiTokens;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.gateway.AgentGateway;
import org.planetarymesh.coordinator.gateway.HeartbeatPacing;
import org.planetarymesh.coordinator.gateway.PushNodes;
import org.planetarymesh.coordinator.retention.JobDeletion;
import org.planetarymesh.coordinator.retention.RetentionSweep;
import org.planetarymesh.coordinator.schedule.ScheduleRunner;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.coordinator.stats.MeshMetrics;
import org.planetarymesh.coordinator.stats.MeshStats;
import org.planetarymesh.coordinator.stats.MetricsEndpoint;
import org.planetarymesh.core.datadir.DataDirLock;
import org.planetarymesh.core.protocol.MessageCodec;
import org.planetarymesh.store.Database;
import org.planetarymesh.store.GroupCommitWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running coordinator: store, group-commit writer, scheduler, agent gateway and HTTP API wired together. Start one
 * with {@link #start}; {@link #close} shuts down in reverse order, draining the writer so nothing accepted is lost.
 */
public final class Coordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final CoordinatorConfig config;
    private final AdminToken token;
    private final Database database;
    private final GroupCommitWriter writer;
    private final Scheduler scheduler;
    private final ScheduleRunner schedules;
    private final ApiServer api;
    private final MeshStats stats;
    private final MeshMetrics metrics;
    private final RetentionSweep retention;
    private DataDirLock lock; // held for the coordinator's life: one coordinator per data dir

    private Coordinator(
            CoordinatorConfig config,
            AdminToken token,
            Database database,
            GroupCommitWriter writer,
            Scheduler scheduler,
            ScheduleRunner schedules,
            ApiServer api,
            MeshStats stats,
            MeshMetrics metrics,
            RetentionSweep retention) {
        this.config = config;
        this.token = token;
        this.database = database;
        this.writer = writer;
        this.scheduler = scheduler;
        this.schedules = schedules;
        this.api = api;
        this.stats = stats;
        this.metrics = metrics;
        this.retention = retention;
    }

    /** Opens the store, recovers unfinished jobs and starts serving. */
    public static Coordinator start(CoordinatorConfig config) {
        DataDirLock lock = DataDirLock.acquire(config.dataDir(), "coordinator");
        try {
            Coordinator coordinator = startLocked(config);
            coordinator.lock = lock;
            return coordinator;
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static Coordinator startLocked(CoordinatorConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create data dir " + config.dataDir(), e);
        }
        AdminToken token = AdminToken.loadOrCreate(config.dataDir());
        Database database =
                config.databaseUrl() == null ? Database.sqlite(config.dataDir()) : Database.open(config.databaseUrl());
        MeshMetrics metrics = new MeshMetrics();
        GroupCommitWriter writer = new GroupCommitWriter(database.jobs(), config.writerBatch(), metrics.storeCommits());
        JobEventHub hub = new JobEventHub();
        Scheduler scheduler = new Scheduler(config, database.jobs(), writer, hub, metrics.jobFlow());
        PushNodes pushNodes = new PushNodes(scheduler, database.nodes(), config.heartbeatInterval());
        AgentGateway gateway = new AgentGateway(
                scheduler,
                new MessageCodec(config.maxFrameBytes()),
                new HeartbeatPacing(config.heartbeatInterval(), config.heartbeatsPerSecond()),
                config.requireAgentKey(),
                config.localNodes(),
                config.suspectAfter());
        ApiTokens tokens = new ApiTokens(token, database.tokens());
        tokens.onRevoke(gateway::tokenRevoked);
        ScheduleRunner schedules =
                new ScheduleRunner(database.schedules(), writer, hub, scheduler::submitted, InstantSource.system());
        MeshStats stats = new MeshStats(scheduler, metrics.jobFlow(), metrics.storeCommits(), gateway::openLinks, hub);
        metrics.bind(stats);
        JobDeletion deletion = new JobDeletion(database.finishedJobs(), writer, scheduler);
        ApiServer api = new ApiServer(
                config,
                tokens,
                database.jobs(),
                writer,
                scheduler,
                hub,
                gateway,
                pushNodes,
                schedules,
                stats,
                new MetricsEndpoint(metrics.registry()),
                deletion,
                database.market());
        RetentionSweep retention = new RetentionSweep(config.retention(), deletion, InstantSource.system());
        scheduler.start();
        schedules.start();
        retention.start();
        pushNodes.restore();
        api.start();
        LOG.info(
                "coordinator listening on {}://{}:{} (store: {})",
                config.tls() == null ? "http" : "https",
                config.host(),
                api.port(),
                database.dialect());
        return new Coordinator(config, token, database, writer, scheduler, schedules, api, stats, metrics, retention);
    }

    public int port() {
        return api.port();
    }

    /** The base URL clients and agents use. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return (config.tls() == null ? "http://" : "https://") + host + ":" + port();
    }

    public String adminToken() {
        return token.value();
    }

    public Path adminTokenFile() {
        return token.file();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Every route the HTTP server registers ({@code METHOD /path}), for the API description's test. */
    public java.util.List<String> routes() {
        return api.routes();
    }

    /** The mesh's figures, as {@code /v1/stats}, {@code /metrics} and the dashboard read them. */
    public MeshStats stats() {
        return stats;
    }

    /** Finished jobs the retention sweep deleted since the start. */
    public long retentionDeleted() {
        return retention.deleted();
    }

    @Override
    public void close() {
        api.close();
        schedules.close();
        retention.close();
        scheduler.close();
        writer.close();
        database.close();
        metrics.close();
        lock.close();
        LOG.info("coordinator stopped");
    }
}
