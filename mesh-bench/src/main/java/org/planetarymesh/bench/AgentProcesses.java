package org.planetarymesh.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real agents as child processes of the product jar ({@code java -jar mesh.jar agent ...}, as a user runs them), stopped
 * on close.
 */
final class AgentProcesses implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();

    /**
     * The JVM options {@code ./mesh agent} uses (see the launcher): {@code MESH_AGENT_JAVA_OPTS} when set, otherwise
     * C1 only and the serial collector. An agent's own work is glue (frames, JSON, process and HTTP plumbing); a
     * profile of the throughput scenario showed C2 compiling for ~40% of all CPU during a run, four agent JVMs over.
     */
    static List<String> agentJvmOptions() {
        String configured = System.getenv("MESH_AGENT_JAVA_OPTS");
        String options = configured == null ? DEFAULT_AGENT_JVM_OPTIONS : configured;
        return options.isBlank() ? List.of() : List.of(options.strip().split("\\s+"));
    }

    /** Keep in step with {@code DEFAULT_AGENT_JAVA_OPTS} in the {@code ./mesh} launcher. */
    static final String DEFAULT_AGENT_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    /** Starts {@code count} agents dialling {@code coordinatorUrl}, each with {@code maxConcurrent} slots. */
    static AgentProcesses start(int count, String coordinatorUrl, String token, int maxConcurrent, Path workDir)
            throws IOException {
        return start(count, coordinatorUrl, token, maxConcurrent, workDir, List.of());
    }

    /** As above, each agent started with {@code flags} too (e.g. executor settings). */
    static AgentProcesses start(
            int count, String coordinatorUrl, String token, int maxConcurrent, Path workDir, List<String> flags)
            throws IOException {
        AgentProcesses agents = new AgentProcesses();
        Path jar = productJar();
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int i = 0; i < count; i++) {
            Path dir = Files.createDirectories(workDir.resolve("agent-" + i));
            List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m"));
            command.addAll(agentJvmOptions());
            // extra JVM options for the agents, e.g. a flight recording:
            // MESH_BENCH_AGENT_OPTS=-XX:StartFlightRecording=...
            String extra = System.getenv("MESH_BENCH_AGENT_OPTS");
            if (extra != null && !extra.isBlank()) {
                for (String option : extra.strip().split("\\s+")) {
                    command.add(option.replace("{i}", Integer.toString(i)));
                }
            }
            command.addAll(List.of(
                    "-jar",
                    jar.toString(),
                    "agent",
                    "--coordinator",
                    coordinatorUrl,
                    "--token",
                    token,
                    "--name",
                    "bench-" + i,
                    "--max-concurrent",
                    Integer.toString(maxConcurrent),
                    "--data-dir",
                    dir.toString(),
                    "--http-port",
                    "-1"));
            command.addAll(flags);
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("MESH_LOG_LEVEL", "WARN");
            pb.redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile());
            agents.processes.add(pb.start());
        }
        return agents;
    }

    /**
     * The product jar the agents run: {@code -Dmesh.jar=PATH} (the launcher sets it), else {@code mesh.jar} where the
     * build puts it beside this jar ({@code mesh-cli/target/} next to {@code mesh-bench/target/}).
     */
    static Path productJar() {
        String configured = System.getProperty("mesh.jar");
        Path jar = configured != null ? Path.of(configured) : besideThisJar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the agents run the product jar, and there is none at " + jar
                    + "; build it with ./mvnw -pl mesh-cli -am package, or pass -Dmesh.jar=PATH");
        }
        return jar.toAbsolutePath();
    }

    private static Path besideThisJar() {
        try {
            Path self = Path.of(AgentProcesses.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            // .../mesh-bench/target/mesh-bench.jar (or target/classes): the module is two levels up, mesh-cli beside
            // it.
            return self.getParent().getParent().resolveSibling("mesh-cli/target/mesh.jar");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the bench jar", e);
        }
    }

    /** Whether every agent process is still running. */
    boolean allAlive() {
        return processes.stream().allMatch(Process::isAlive);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
