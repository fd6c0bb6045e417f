package org.planetarymesh.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A coordinator process and any number of agent processes on loopback, each with its own data dir under one
 * temporary directory. Restart and kill them to test what survives.
 */
final class MeshCluster implements AutoCloseable {

    static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private MeshProcess coordinator;
    private final List<MeshProcess> agents = new ArrayList<>();
    private int coordinatorStarts;

    MeshCluster(Path dir) {
        this.dir = dir;
        this.port = freePort();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (or restarts) the coordinator on the same port and data dir, and waits until it listens. */
    MeshProcess startCoordinator(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "coordinator",
                "--port",
                Integer.toString(port),
                "--data-dir",
                dir.resolve("coordinator").toString()));
        args.addAll(List.of(extraArgs));
        coordinator =
                MeshProcess.start("coordinator-" + (++coordinatorStarts), dir, Map.of(), args.toArray(String[]::new));
        coordinator.awaitLog("Coordinator listening on", START);
        return coordinator;
    }

    /** Starts an agent process named {@code name} with extra flags; waits until it is connected. */
    MeshProcess startAgent(String name, String... flags) {
        List<String> args = new ArrayList<>(List.of(
                "agent",
                "--coordinator",
                url(),
                "--token",
                token(),
                "--name",
                name,
                "--data-dir",
                dir.resolve("agent-" + name).toString()));
        args.addAll(List.of(flags));
        MeshProcess agent =
                MeshProcess.start("agent-" + name + "-" + agents.size(), dir, Map.of(), args.toArray(String[]::new));
        agent.awaitLog("connected to coordinator", START);
        agents.add(agent);
        return agent;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String token() {
        try {
            return Files.readString(dir.resolve("coordinator").resolve("admin.token"))
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MeshProcess coordinator() {
        return coordinator;
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        agents.forEach(MeshProcess::close);
        if (coordinator != null) {
            coordinator.close();
        }
    }
}
