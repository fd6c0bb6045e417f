package org.planetarymesh.testkit.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's PostgreSQL server ({@code apt-get install postgresql}, as {@code .ci/run} does) in a temporary data dir on
 * a loopback port, run as user {@code postgres} when the test runs as root. Unlike the embedded server it can be
 * killed with SIGKILL ({@link #kill9}) and started again on the same data dir and port ({@link #start}).
 */
public final class KillablePostgres implements AutoCloseable {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dataDir;
    private final int port;

    private KillablePostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Makes a new cluster (initdb, trust authentication on loopback) and starts it. */
    public static KillablePostgres create() {
        if (!Files.isExecutable(BIN.resolve("postgres"))) {
            throw new IllegalStateException("Debian's PostgreSQL 15 server is needed at " + BIN
                    + ": apt-get install -y postgresql (.ci/run installs it)");
        }
        try {
            Path dir = Files.createTempDirectory("mesh-pg-");
            run(List.of("chown", "postgres:postgres", dir.toString()), true);
            Path data = dir.resolve("data");
            run(
                    asPostgres(
                            BIN.resolve("initdb").toString(),
                            "-D",
                            data.toString(),
                            "-U",
                            "postgres",
                            "-A",
                            "trust",
                            "--no-sync",
                            "-E",
                            "UTF8"),
                    false);
            KillablePostgres pg = new KillablePostgres(data, freePort());
            pg.start();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the server on its data dir and port and waits until it accepts connections. After a SIGKILL the new
     * postmaster refuses to start while a backend of the old one still holds its shared memory, so it tries again
     * until they are gone (they exit within moments).
     */
    public void start() {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    startOnce();
                    return true;
                });
    }

    private void startOnce() {
        run(
                asPostgres(
                        BIN.resolve("pg_ctl").toString(),
                        "start",
                        "-w",
                        "-t",
                        "60",
                        "-D",
                        dataDir.toString(),
                        "-l",
                        dataDir.resolveSibling("server.log").toString(),
                        "-o",
                        "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                                + dataDir.getParent() + " -c fsync=on"),
                false);
    }

    /** SIGKILL to the postmaster: no shutdown, no checkpoint; its backends notice and exit on their own. */
    public void kill9() {
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid())
                .orElseThrow(() -> new IllegalStateException("the postmaster is not running"));
        postmaster.destroyForcibly();
        postmaster.onExit().join();
    }

    /** Whether the postmaster of the last start still runs. */
    boolean isRunning() {
        try {
            return Files.exists(dataDir.resolve("postmaster.pid"))
                    && ProcessHandle.of(postmasterPid())
                            .map(ProcessHandle::isAlive)
                            .orElse(false);
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** The JDBC URL of the {@code postgres} database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid"))
                    .getFirst()
                    .strip());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("no postmaster.pid in " + dataDir, e);
        }
    }

    /** Stops the server quickly and deletes its files. */
    @Override
    public void close() {
        if (isRunning()) {
            run(
                    asPostgres(BIN.resolve("pg_ctl").toString(), "stop", "-m", "immediate", "-D", dataDir.toString()),
                    true);
        }
        run(List.of("rm", "-rf", dataDir.getParent().toString()), true);
    }

    private static List<String> asPostgres(String... command) {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static void run(List<String> command, boolean quiet) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                if (!quiet) {
                    throw new IllegalStateException(command + " failed: " + new String(output));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
