package org.planetarymesh.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.agent.identity.NodeIdentity;
import org.planetarymesh.cli.config.CoordinatorSettings;
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

    /** The port {@code mesh up} and the CLI agree on when nobody says otherwise. */
    static final int DEFAULT_PORT = 7070;

    @Option(names = "--port", description = "HTTP port (env MESH_PORT; default: 7070).")
    String port;

    @Option(names = "--data-dir", description = "Where state lives (env MESH_DATA_DIR; default: .mesh).")
    String dataDirFlag;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A coordinator.toml: any coordinator setting (env MESH_CONFIG; docs/CONFIGURATION.md).")
    String config;

    @Option(names = "--log-format", paramLabel = "text|json", description = "Log lines as text (default) or JSON.")
    String logFormat;

    private Path dataDir;

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
        CoordinatorConfig coordinatorConfig = settings();
        dataDir = coordinatorConfig.dataDir();
        AgentConfig.Builder agentConfig = embeddedAgent();
        // The embedded agent is the coordinator's own by its key (scope LOCAL), known here in-process.
        String agentId = NodeIdentity.loadOrCreate(dataDir.resolve("agent")).nodeId();
        Set<String> localNodes = new java.util.HashSet<>(coordinatorConfig.localNodes());
        localNodes.add(agentId);
        Coordinator coordinator = Coordinator.start(coordinatorConfig.withLocalNodes(localNodes));
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

    /** The coordinator's settings: these flags, then MESH_* variables, then the --config file. */
    private CoordinatorConfig settings() {
        Map<String, String> flags = new java.util.LinkedHashMap<>();
        flags.put("config", config);
        flags.put("port", port);
        flags.put("data_dir", dataDirFlag);
        flags.put("log_format", logFormat);
        return CoordinatorSettings.loadForProcess(flags);
    }

    private void printWelcome(Coordinator coordinator) {
        System.out.println("Planetary Mesh is up at " + coordinator.url());
        System.out.println("Admin token: " + coordinator.adminTokenFile().toAbsolutePath());
        System.out.println("Dashboard:   " + coordinator.url() + "/ (sign in with the admin token)");
        System.out.println();
        System.out.println("Try, in another terminal:");
        tryCommands(coordinator.url(), dataDir).forEach(line -> System.out.println("  " + line));
        System.out.flush();
    }

    /**
     * The commands the banner suggests, in order, as they would be typed in another terminal in this directory. Off
     * the default port or data dir they start with an {@code export} that points the CLI at this mesh and its token.
     */
    static List<String> tryCommands(String url, Path dataDir) {
        List<String> lines = new ArrayList<>();
        boolean defaultPort = url.endsWith(":" + DEFAULT_PORT);
        boolean defaultDataDir = dataDir.normalize().equals(ConnectionOptions.DEFAULT_DATA_DIR);
        if (!defaultPort || !defaultDataDir) {
            lines.add("export MESH_COORDINATOR=" + url
                    + (defaultDataDir
                            ? ""
                            : " MESH_DATA_DIR="
                                    + shellQuoted(dataDir.toAbsolutePath().normalize())));
        }
        lines.add("./mesh submit echo --payload '{\"hello\":\"mesh\"}' --wait");
        lines.add("./mesh jobs");
        lines.add("./mesh nodes");
        return lines;
    }

    private static String shellQuoted(Path path) {
        String text = path.toString();
        return text.matches("[A-Za-z0-9_./@%+=:,-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }
}
