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
import org.planetarymesh.coordinator.leadership.Leadership;
import org.planetarymesh.coordinator.leadership.LeadershipView;
import org.planetarymesh.coordinator.leadership.SqliteOwnership;
import org.planetarymesh.coordinator.leadership.Succession;
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
    private SqliteOwnership sqliteOwner; // on SQLite: one coordinator per database file
    private Leadership leadership; // on PostgreSQL: this coordinator's lease (it leads once started)

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

    /**
     * Opens the store, recovers unfinished jobs and starts serving. On PostgreSQL it first serves as a standby until it
     * holds the coordinators' lease (docs/OPERATIONS.md); if it later loses the lease the process exits
     * ({@link Succession#EXIT}).
     */
    public static Coordinator start(CoordinatorConfig config) {
        return start(config, Succession.EXIT);
    }

    /** As {@link #start(CoordinatorConfig)}; {@code onLostLeadership} hears the new epoch if the lease is taken over. */
    public static Coordinator start(CoordinatorConfig config, java.util.function.LongConsumer onLostLeadership) {
        DataDirLock lock = DataDirLock.acquire(config.dataDir(), "coordinator");
        Path sqliteFile = config.databaseUrl() == null
                ? config.dataDir().resolve("mesh.db")
                : Database.sqliteFileOf(config.databaseUrl());
        SqliteOwnership sqliteOwner = null;
        try {
            sqliteOwner = sqliteFile == null ? null : SqliteOwnership.acquire(sqliteFile);
            Coordinator coordinator = startLocked(config, onLostLeadership);
            coordinator.lock = lock;
            coordinator.sqliteOwner = sqliteOwner;
            return coordinator;
        } catch (RuntimeException | Error e) {
            if (sqliteOwner != null) {
                sqliteOwner.close();
            }
            lock.close();
            throw e;
        }
    }

    private static Coordinator startLocked(CoordinatorConfig requested, java.util.function.LongConsumer onLost) {
        try {
            Files.createDirectories(requested.dataDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create data dir " + requested.dataDir(), e);
        }
        AdminToken token = AdminToken.loadOrCreate(requested.dataDir());
        Database database = requested.databaseUrl() == null
                ? Database.sqlite(requested.dataDir())
                : Database.open(requested.databaseUrl());
        // On PostgreSQL: a standby until this coordinator holds the lease, then the leader on the port it served.
        Succession.Led led =
                database.dialect().equals("postgresql") ? awaitLeadership(requested, token, database, onLost) : null;
        Leadership leadership = led == null ? null : led.leadership();
        CoordinatorConfig config = led == null ? requested : requested.withPort(led.port());
        java.util.concurrent.atomic.AtomicReference<String> selfUrl =
                new java.util.concurrent.atomic.AtomicReference<>();
        MeshMetrics metrics = new MeshMetrics();
        Succession.meters(metrics.registry(), leadership);
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
                database.market(),
                leadership == null ? LeadershipView.single(selfUrl::get) : leadership.view());
        RetentionSweep retention = new RetentionSweep(config.retention(), deletion, InstantSource.system());
        scheduler.start();
        schedules.start();
        retention.start();
        pushNodes.restore();
        api.start();
        selfUrl.set(url(config, api.port()));
        LOG.info(
                "coordinator listening on {}://{}:{} (store: {})",
                config.tls() == null ? "http" : "https",
                config.host(),
                api.port(),
                database.dialect());
        Coordinator coordinator =
                new Coordinator(config, token, database, writer, scheduler, schedules, api, stats, metrics, retention);
        coordinator.leadership = leadership;
        return coordinator;
    }

    private static Succession.Led awaitLeadership(
            CoordinatorConfig config, AdminToken token, Database database, java.util.function.LongConsumer onLost) {
        try {
            Succession.Led led = Succession.await(config, token, database, onLost);
            if (led == null) {
                throw new IllegalStateException("stopped while waiting to lead");
            }
            return led;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            database.close();
            throw new IllegalStateException("interrupted while waiting to lead", e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static String url(CoordinatorConfig config, int port) {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return (config.tls() == null ? "http://" : "https://") + host + ":" + port;
    }

    public int port() {
        return api.port();
    }

    /** The base URL clients and agents use. */
    public String url() {
        return url(config, port());
    }

    /** This coordinator's part in the lease on PostgreSQL; null on SQLite (one coordinator). */
    public Leadership leadership() {
        return leadership;
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
        if (leadership != null) {
            leadership.close(); // after the writer drained: a standby takes over with everything committed
        }
        database.close();
        metrics.close();
        if (sqliteOwner != null) {
            sqliteOwner.close();
        }
        lock.close();
        LOG.info("coordinator stopped");
    }
}
