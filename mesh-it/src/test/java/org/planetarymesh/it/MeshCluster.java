package org.planetarymesh.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.node.NodeStatus;

/**
 * A coordinator process and any number of agent processes on loopback, each with its own data dir under one
 * temporary directory. Restart and kill them to test what survives.
 */
public final class MeshCluster implements AutoCloseable {

    public static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private MeshProcess coordinator;
    private final List<MeshProcess> agents = new ArrayList<>();
    private int coordinatorStarts;

    public MeshCluster(Path dir) {
        this.dir = dir;
        this.port = freePort();
    }

    /** A free loopback port (nothing listens on it afterwards). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (or restarts) the coordinator on the same port and data dir, and waits until it listens. */
    public MeshProcess startCoordinator(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "coordinator",
                "--port",
                Integer.toString(port),
                "--data-dir",
                dir.resolve("coordinator").toString()));
        args.addAll(List.of(extraArgs));
        // Retention off: these tests count every job they submitted in the store (RetentionLoadTest covers it).
        Map<String, String> keepEveryJob = Map.of(
                "MESH_RETENTION_COMPLETED_MAX_COUNT", "0",
                "MESH_RETENTION_FAILED_MAX_COUNT", "0");
        coordinator = MeshProcess.start(
                "coordinator-" + (++coordinatorStarts), dir, keepEveryJob, args.toArray(String[]::new));
        coordinator.awaitLog("Coordinator listening on", START);
        return coordinator;
    }

    /** Starts an agent process named {@code name} with extra flags; waits until it is connected. */
    public MeshProcess startAgent(String name, String... flags) {
        MeshProcess agent =
                MeshProcess.start("agent-" + name + "-" + agents.size(), dir, Map.of(), agentArgs(name, flags));
        return connected(agent, name);
    }

    /**
     * As {@link #startAgent}, run as {@code LAUNCHER agent ...} (the {@code ./mesh} script) in {@code workDir}, as a user
     * would start it.
     */
    public MeshProcess startAgentThroughLauncher(String name, Path launcher, Path workDir, String... flags) {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(agentArgs(name, flags)));
        MeshProcess agent = MeshProcess.startCommand("agent-" + name + "-" + agents.size(), workDir, Map.of(), command);
        return connected(agent, name);
    }

    private MeshProcess connected(MeshProcess agent, String name) {
        agents.add(agent);
        agent.awaitLog("connected to coordinator", START);
        // The agent logs that once its signed heartbeat is written; the coordinator verifies it and lists the node a
        // moment later, so wait for the listing too (a test may ask for nodes or submit right away).
        try (MeshClient client = MeshClient.connect(url(), token())) {
            await().atMost(START)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(() -> client.nodes().stream()
                            .anyMatch(n -> name.equals(n.name()) && n.status() == NodeStatus.HEALTHY));
        }
        return agent;
    }

    private String[] agentArgs(String name, String... flags) {
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
        return args.toArray(String[]::new);
    }

    /** The coordinator's base URL on loopback. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The admin token the coordinator wrote to its data dir. */
    public String token() {
        try {
            return Files.readString(dir.resolve("coordinator").resolve("admin.token"))
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The coordinator process of the latest start. */
    public MeshProcess coordinator() {
        return coordinator;
    }

    /** The directory holding every process's data dir and log. */
    public Path dir() {
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
