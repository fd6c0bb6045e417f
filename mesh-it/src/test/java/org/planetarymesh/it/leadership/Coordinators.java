package org.planetarymesh.it.leadership;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/**
 * Several real coordinator processes on one PostgreSQL database, each with its own port and data dir and the same
 * admin token: the first one started leads, the others are standbys. Kill, pause and resume them to test takeovers.
 */
final class Coordinators implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final String databaseUrl;
    private final int[] ports;
    private final MeshProcess[] processes;
    private final int[] starts;
    private final List<MeshProcess> all = new ArrayList<>();
    private final Map<String, String> env;

    Coordinators(Path dir, String databaseUrl, int count, Map<String, String> env) {
        this.dir = dir;
        this.databaseUrl = databaseUrl;
        this.ports = new int[count];
        this.processes = new MeshProcess[count];
        this.starts = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = MeshCluster.freePort();
        }
        Map<String, String> e = new HashMap<>(env);
        // Retention off: these tests count every job they submitted in the store.
        e.put("MESH_RETENTION_COMPLETED_MAX_COUNT", "0");
        e.put("MESH_RETENTION_FAILED_MAX_COUNT", "0");
        this.env = Map.copyOf(e);
    }

    /** Starts every coordinator: the first, then (with its admin token) the others; waits until each serves. */
    void startAll() {
        start(0);
        for (int i = 1; i < ports.length; i++) {
            start(i);
        }
    }

    /** Starts (or restarts) coordinator {@code i} and waits until it serves, as leader or standby. */
    MeshProcess start(int i) {
        Path data = dataDir(i);
        try {
            Files.createDirectories(data);
            Path token = dataDir(0).resolve("admin.token");
            if (i != 0 && Files.exists(token) && !Files.exists(data.resolve("admin.token"))) {
                Files.copy(token, data.resolve("admin.token"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MeshProcess p = MeshProcess.start(
                "coordinator-" + i + "-" + (++starts[i]),
                dir,
                env,
                "coordinator",
                "--port",
                Integer.toString(ports[i]),
                "--data-dir",
                data.toString(),
                "--database-url",
                databaseUrl);
        processes[i] = p;
        all.add(p);
        p.awaitLog("(Coordinator listening on|standby coordinator on)", MeshCluster.START);
        return p;
    }

    Path dataDir(int i) {
        return dir.resolve("coordinator-" + i);
    }

    int size() {
        return ports.length;
    }

    String url(int i) {
        return "http://127.0.0.1:" + ports[i];
    }

    /** Every coordinator's URL, comma-separated, as agents and clients take them. */
    String urls() {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            urls.add(url(i));
        }
        return String.join(",", urls);
    }

    /** Every process started, in order. */
    List<MeshProcess> started() {
        return List.copyOf(all);
    }

    MeshProcess process(int i) {
        return processes[i];
    }

    String token() {
        try {
            return Files.readString(dataDir(0).resolve("admin.token")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What coordinator {@code i}'s {@code /healthz} says, or null if it does not answer. */
    JsonNode health(int i) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url(i) + "/healthz"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The index of the coordinator whose {@code /healthz} says leader, or -1. */
    int leader() {
        for (int i = 0; i < ports.length; i++) {
            if (processes[i] != null && processes[i].isAlive()) {
                JsonNode h = health(i);
                if (h != null && "leader".equals(h.path("role").asText())) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Waits until some coordinator other than {@code not} leads; returns it. */
    int awaitLeaderOtherThan(int not, Duration within) {
        int[] found = {-1};
        await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> {
            found[0] = leader();
            return found[0] >= 0 && found[0] != not;
        });
        return found[0];
    }

    /** SIGSTOP: the process keeps its sockets and its lease row, and does nothing. */
    void pause(int i) {
        signal(i, "STOP");
    }

    /** SIGCONT after {@link #pause}. */
    void resume(int i) {
        signal(i, "CONT");
    }

    private void signal(int i, String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(processes[i].pid()))
                    .start()
                    .waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " failed with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (MeshProcess p : all) {
            if (p.isAlive()) {
                try {
                    new ProcessBuilder("kill", "-CONT", Long.toString(p.pid()))
                            .start()
                            .waitFor();
                } catch (IOException | InterruptedException e) {
                    // closing anyway
                }
            }
            p.close();
        }
    }
}
