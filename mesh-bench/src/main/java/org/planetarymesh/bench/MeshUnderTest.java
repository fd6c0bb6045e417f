package org.planetarymesh.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshClientOptions;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;

/**
 * The mesh a scenario measures: a coordinator started in this JVM on loopback (SQLite in a temporary directory, or
 * {@code --database-url}), or one that is already running ({@code --coordinator}); plus a client and a work directory.
 */
final class MeshUnderTest implements AutoCloseable {

    private final Coordinator coordinator; // null when targeting a running coordinator
    private final String url;
    private final String token;
    private final Path workDir;
    private final MeshClient client;

    private MeshUnderTest(Coordinator coordinator, String url, String token, Path workDir) {
        this.coordinator = coordinator;
        this.url = url;
        this.token = token;
        this.workDir = workDir;
        this.client = MeshClient.connect(MeshClientOptions.of(url, token).withRequestTimeout(Duration.ofSeconds(60)));
    }

    static MeshUnderTest open(BenchOptions options) throws IOException {
        Path workDir = Files.createTempDirectory("mesh-bench-");
        if (options.coordinatorUrl() != null) {
            if (options.token() == null) {
                throw new IllegalArgumentException("--coordinator needs --token (the coordinator's admin token)");
            }
            return new MeshUnderTest(null, options.coordinatorUrl(), options.token(), workDir);
        }
        CoordinatorConfig config = CoordinatorConfig.defaults(workDir.resolve("coordinator"))
                .withPort(0)
                .withDatabaseUrl(options.databaseUrl());
        Coordinator coordinator = Coordinator.start(config);
        return new MeshUnderTest(coordinator, coordinator.url(), coordinator.adminToken(), workDir);
    }

    /** Turns the in-process coordinator's receipts on or off; refused for a running coordinator elsewhere. */
    void receipts(boolean on) {
        if (coordinator == null) {
            throw new IllegalArgumentException("the receipts scenario switches the in-process coordinator's receipts"
                    + " on and off; run it without --coordinator");
        }
        coordinator.scheduler().receipts(on);
    }

    boolean inProcess() {
        return coordinator != null;
    }

    String url() {
        return url;
    }

    String token() {
        return token;
    }

    Path workDir() {
        return workDir;
    }

    MeshClient client() {
        return client;
    }

    /** Waits until at least {@code count} nodes are connected and healthy; false after {@code timeout}. */
    boolean awaitNodes(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long healthy = client.nodes().stream()
                    .filter(n -> n.status() != null && n.status().name().equals("HEALTHY"))
                    .count();
            if (healthy >= count) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Override
    public void close() {
        client.close();
        if (coordinator != null) {
            coordinator.close();
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
