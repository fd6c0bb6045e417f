package org.planetarymesh.cli;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.agent.identity.NodeIdentity;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh up}: a whole mesh in one JVM — a coordinator on SQLite in the data dir and an embedded local agent with
 * the built-in executors. Ctrl-C stops the agent first (running jobs get a grace period to finish; any that do not
 * are retried on the next start), then the coordinator, whose writer drains so nothing accepted is lost.
 */
@Command(name = "up", description = "Start a local mesh: coordinator + embedded agent, on SQLite in the data dir.")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE}).", defaultValue = "7070")
    int port;

    @Option(
            names = "--data-dir",
            description = "Where state lives (default: ${DEFAULT-VALUE}).",
            defaultValue = ".mesh")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        Path agentDir = dataDir.resolve("agent");
        // The embedded agent is the coordinator's own by its key (scope LOCAL), known here in-process.
        String agentId = NodeIdentity.loadOrCreate(agentDir).nodeId();
        Coordinator coordinator = Coordinator.start(
                CoordinatorConfig.defaults(dataDir).withPort(port).withLocalNodes(Set.of(agentId)));
        Agent agent = Agent.start(AgentConfig.builder()
                .coordinator(coordinator.url())
                .token(coordinator.adminToken())
                .name("local")
                .maxConcurrent(Runtime.getRuntime().availableProcessors() * 4)
                .dataDir(agentDir)
                .httpPort(-1)
                .build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.err.println("Stopping: letting running jobs finish...");
                            agent.close();
                            coordinator.close();
                            stopped.countDown();
                        },
                        "mesh-shutdown"));
        printWelcome(coordinator);
        stopped.await();
        return 0;
    }

    private void printWelcome(Coordinator coordinator) {
        String url = coordinator.url();
        System.out.println("Planetary Mesh is up at " + url);
        System.out.println("Admin token: " + coordinator.adminTokenFile().toAbsolutePath());
        System.out.println();
        System.out.println("Try, in another terminal:");
        System.out.println("  ./mesh submit echo --payload '{\"hello\":\"mesh\"}' --wait");
        System.out.println("  ./mesh jobs");
        System.out.println("  ./mesh nodes");
        System.out.flush();
    }
}
