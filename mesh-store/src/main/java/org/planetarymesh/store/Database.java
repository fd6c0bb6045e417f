package org.planetarymesh.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.planetarymesh.store.market.MarketStore;

/**
 * An open, migrated store database: SQLite (a file; the embedded default) or PostgreSQL, with a pool for writes and
 * a pool for reads.
 *
 * <p>SQLite allows one writer at a time, so its write pool holds exactly one connection and every write transaction
 * queues for it instead of failing with {@code SQLITE_BUSY}; in WAL mode the read pool's connections never wait for
 * that writer. Writes are {@code synchronous=FULL}: a commit survives power loss, and {@link GroupCommitWriter}
 * amortises that fsync over thousands of writes. A URL may override it, e.g. {@code jdbc:sqlite:/d/mesh.db?synchronous=
 * NORMAL}. On PostgreSQL both pools are ordinary; the server's {@code synchronous_commit} decides durability.
 */
public final class Database implements AutoCloseable {

    private static final int SQLITE_READERS = 4;
    private static final int POSTGRES_WRITERS = 4;
    private static final int POSTGRES_READERS = 8;
    private static final long POSTGRES_CONNECTION_TIMEOUT_MS = 5_000;
    /**
     * How long PostgreSQL lets a write session sit idle inside a transaction before ending it: a coordinator paused
     * between its fence check and its commit (SIGSTOP, a long GC) would otherwise hold the share lock on the lease row
     * that a takeover waits for (see {@link FencedDataSource}). Long enough that a slow but live transaction is never
     * cut (the writer would retry it; see {@link TransientFailure}).
     */
    private static final int POSTGRES_IDLE_IN_TRANSACTION_MS = 10_000;

    private static final String SQLITE_BUSY_TIMEOUT_MS = "30000";
    /**
     * The writer's page cache, in KiB (a negative {@code cache_size}): 64 MiB holds the pages a commit of thousands of
     * completions and a move of the node index touch (docs/adr/0019); SQLite's default is 2 MiB.
     */
    private static final String SQLITE_WRITER_CACHE_KIB = "-65536";

    static final int SQLITE_PAGE_SIZE = 16384;

    private final DatabaseUrl url;
    private final HikariDataSource writer;
    private final HikariDataSource reader;
    // PostgreSQL only (null on SQLite, where one coordinator holds the file): the write pool every store writes
    // through.
    private final FencedDataSource fenced;
    private final JdbcScheduleStore schedules;
    private final JdbcJobStore jobs;
    private final JdbcNodeStore nodes;
    private final JdbcTokenStore tokens;
    private final JdbcFinishedJobs finished;
    private final MarketStore market;

    private Database(DatabaseUrl url, HikariDataSource writer, HikariDataSource reader) {
        this.url = url;
        this.writer = writer;
        this.reader = reader;
        this.fenced = url.dialect() == Dialect.POSTGRESQL ? new FencedDataSource(writer) : null;
        javax.sql.DataSource writes = fenced == null ? writer : fenced;
        this.schedules = new JdbcScheduleStore(writes, reader);
        this.jobs = new JdbcJobStore(url.dialect(), writes, reader);
        this.nodes = new JdbcNodeStore(writes, reader);
        this.tokens = new JdbcTokenStore(writes, reader);
        this.finished = new JdbcFinishedJobs(url.dialect(), reader, url.sqliteFile());
        this.market = new MarketStore(writer, reader);
    }

    /**
     * Opens and migrates the database at {@code url}: {@code jdbc:sqlite:/path/mesh.db},
     * {@code jdbc:postgresql://host:port/db?user=..&password=..} or {@code postgresql://user:pass@host:port/db}.
     *
     * @throws IllegalArgumentException if the URL has none of those forms
     * @throws StoreException if the database cannot be reached or migrated
     */
    public static Database open(String url) {
        return open(DatabaseUrl.parse(url));
    }

    /**
     * The SQLite file {@code url} names, or null for PostgreSQL.
     *
     * @throws IllegalArgumentException if the URL is of no known form
     */
    public static Path sqliteFileOf(String url) {
        return DatabaseUrl.parse(url).sqliteFile();
    }

    /** Opens the SQLite database {@code <dataDir>/mesh.db}, creating the directory if needed. */
    public static Database sqlite(Path dataDir) {
        return open("jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("mesh.db"));
    }

    private static Database open(DatabaseUrl url) {
        if (url.sqliteFile() != null && url.sqliteFile().getParent() != null) {
            try {
                Files.createDirectories(url.sqliteFile().getParent());
            } catch (IOException e) {
                throw new StoreException("could not create the directory of SQLite database " + url.sqliteFile(), e);
            }
        }
        HikariDataSource reader = null;
        HikariDataSource writer = null;
        try {
            if (url.sqliteFile() != null) {
                SqliteIntegrity.checkBeforeOpen(url.sqliteFile());
            }
            boolean created = createSqliteFileIfMissing(url);
            if (url.sqliteFile() != null && !created) {
                SqliteIntegrity.quickCheck(url.sqliteFile(), url.jdbcUrl());
            }
            reader = pool(url, "read", false);
            migrate(url, reader);
            writer = pool(url, "write", true);
            return new Database(url, writer, reader);
        } catch (RuntimeException e) {
            closeQuietly(writer, e);
            closeQuietly(reader, e);
            if (e instanceof StoreException) {
                throw e;
            }
            throw new StoreException("could not open database " + url.redacted() + ": " + e.getMessage(), e);
        }
    }

    /** Jobs and their events. */
    public JobStore jobs() {
        return jobs;
    }

    /** Registered nodes. */
    public NodeStore nodes() {
        return nodes;
    }

    /** Finding and deleting finished jobs (retention, {@code DELETE /v1/jobs/{id}}). */
    public FinishedJobs finishedJobs() {
        return finished;
    }

    /** API tokens (hashes only). */
    public TokenStore tokens() {
        return tokens;
    }

    /** The marketplace: ledger, offerings, purchases. */
    public MarketStore market() {
        return market;
    }

    /** Cron schedules of recurring jobs. */
    public ScheduleStore schedules() {
        return schedules;
    }

    /**
     * The coordinators' lease and member list (PostgreSQL only).
     *
     * @throws IllegalStateException on SQLite, which takes one coordinator
     */
    public CoordinatorLease lease() {
        if (fenced == null) {
            throw new IllegalStateException("SQLite takes one coordinator; the lease is PostgreSQL's");
        }
        return new CoordinatorLease(reader);
    }

    /**
     * From now on every write transaction of every store checks, under a share lock on the lease row, that the lease
     * is still at {@code epoch}, and fails with {@link FencedWriteException} otherwise ({@code onFenced} is told the
     * current epoch). PostgreSQL only.
     */
    public void fenceWrites(long epoch, java.util.function.LongConsumer onFenced) {
        if (fenced == null) {
            throw new IllegalStateException("SQLite takes one coordinator; writes need no fence");
        }
        fenced.fence(epoch, onFenced);
    }

    /** A connection of the write pool (fenced at commit once {@link #fenceWrites} was called); for tests. */
    Connection writerConnection() throws SQLException {
        return fenced != null ? fenced.getConnection() : writer.getConnection();
    }

    /** The value of {@code PRAGMA name} on the writer's connection, or on a reader's; for tests. */
    String pragma(String name, boolean onWriter) {
        try (Connection c = (onWriter ? writer : reader).getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new StoreException("PRAGMA " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** {@code sqlite} or {@code postgresql}. */
    public String dialect() {
        return url.dialect().id();
    }

    /** The database's URL with any password removed, for logs. */
    public String describe() {
        return url.redacted();
    }

    /** Closes both pools. Stop any {@link GroupCommitWriter} on this database's stores first. */
    @Override
    public void close() {
        writer.close();
        reader.close();
    }

    /**
     * Creates a new SQLite file with {@value #SQLITE_PAGE_SIZE}-byte pages before anything opens it in WAL mode, which
     * fixes the page size. Why not the default 4 KiB: the group commit's cost is mostly syscalls and page copies (each
     * WAL frame is written, then read and written again by the checkpoint), and 16 KiB pages carry a batch of new jobs
     * in a quarter of the frames (docs/adr/0017). An existing file keeps the page size it was made with. Returns whether
     * it made the file.
     */
    private static boolean createSqliteFileIfMissing(DatabaseUrl url) {
        Path file = url.sqliteFile();
        try {
            if (file == null || Files.exists(file)) {
                return false;
            }
            try (Connection c = DriverManager.getConnection(url.jdbcUrl());
                    Statement s = c.createStatement()) {
                s.execute("PRAGMA page_size = " + SQLITE_PAGE_SIZE);
                // An empty database takes its page size when its header is first written.
                s.execute("VACUUM");
            }
            return true;
        } catch (SQLException e) {
            throw new StoreException("could not create SQLite database " + file + ": " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(DatabaseUrl url, String role, boolean writes) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setPoolName("mesh-" + url.dialect().id() + "-" + role);
        // Writers commit explicitly: a whole batch is one transaction.
        config.setAutoCommit(!writes);
        if (url.dialect() == Dialect.SQLITE) {
            config.setMaximumPoolSize(writes ? 1 : SQLITE_READERS);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("busy_timeout", SQLITE_BUSY_TIMEOUT_MS);
            config.addDataSourceProperty("foreign_keys", "true");
            if (writes) {
                config.addDataSourceProperty("cache_size", SQLITE_WRITER_CACHE_KIB);
            }
        } else {
            config.setMaximumPoolSize(writes ? POSTGRES_WRITERS : POSTGRES_READERS);
            // While the server is down a caller waits this long for a connection; the group-commit writer retries
            // after each wait, so its health (and last error) stays current through an outage.
            config.setConnectionTimeout(POSTGRES_CONNECTION_TIMEOUT_MS);
            if (writes) {
                config.addDataSourceProperty(
                        "options", "-c idle_in_transaction_session_timeout=" + POSTGRES_IDLE_IN_TRANSACTION_MS);
            }
        }
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    private static void migrate(DatabaseUrl url, HikariDataSource dataSource) {
        try {
            Flyway.configure(Database.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(url.dialect().migrations())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("could not migrate database " + url.redacted() + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(HikariDataSource pool, Exception cause) {
        if (pool != null) {
            try {
                pool.close();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
