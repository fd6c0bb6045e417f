package org.planetarymesh.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
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

    @Option(
            names = "--allow-shell",
            paramLabel = "CMD,...",
            description = "Commands the embedded agent's shell executor may run (shell is off without).")
    List<String> allowShell = List.of();

    @Option(
            names = "--allow-http",
            paramLabel = "HOST,...",
            description = "Hosts the embedded agent's http executor may call (http is off without).")
    List<String> allowHttp = List.of();

    @Option(
            names = "--plugins",
            paramLabel = "DIR",
            description = "Directory of executor jars for the embedded agent (see docs/EXECUTORS.md).")
    Path plugins;

    @Option(
            names = "--executor-setting",
            paramLabel = "NAME.KEY=VALUE",
            description = "A setting of one executor, e.g. checksum.algorithm=SHA-256 (repeatable).")
    Map<String, String> executorSettings = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig.Builder agentConfig = embeddedAgent();
        Coordinator coordinator =
                Coordinator.start(CoordinatorConfig.defaults(dataDir).withPort(port));
        Agent agent;
        try {
            agent = Agent.start(agentConfig
                    .coordinator(coordinator.url())
                    .token(coordinator.adminToken())
                    .build());
        } catch (RuntimeException e) {
            coordinator.close();
            throw e;
        }
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

    /** The embedded agent's settings from the flags; its own failures name {@code mesh up}'s flags. */
    private AgentConfig.Builder embeddedAgent() {
        AgentConfig.Builder builder = AgentConfig.builder()
                .name("local")
                .maxConcurrent(Runtime.getRuntime().availableProcessors() * 4)
                .labels(Map.of("mesh.local", "true"))
                .dataDir(dataDir.resolve("agent"))
                .httpPort(-1)
                .allowShell(split(allowShell))
                .allowHttp(split(allowHttp))
                .plugins(plugins)
                .hostCommand("mesh up");
        executorSettings.forEach((key, value) -> {
            int dot = key.lastIndexOf('.');
            if (dot <= 0 || dot == key.length() - 1) {
                throw new UserError(
                        "invalid_executor_setting",
                        "--executor-setting " + key + "=" + value
                                + ": write NAME.KEY=VALUE, e.g. checksum.algorithm=SHA-256");
            }
            builder.executorSetting(
                    key.substring(0, dot), key.substring(dot + 1), value, "flag --executor-setting " + key);
        });
        return builder;
    }

    private static List<String> split(List<String> values) {
        return values.stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .toList();
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
