package org.planetarymesh.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshClientOptions;

/**
 * TLS and mTLS end to end with real {@code mesh} processes and a CA generated here: the coordinator serves HTTPS/WSS
 * from PEM files, agents and the CLI verify it with {@code --ca-file}, and with {@code --tls-client-ca} an agent
 * without a client certificate is refused while one with a certificate signed by that CA joins and runs jobs.
 */
class TlsEndToEndTest {

    @TempDir
    static Path pkiDir;

    static TestPki pki;

    @BeforeAll
    static void makePki() throws Exception {
        pki = new TestPki(pkiDir);
        pki.issue("server", "CN=127.0.0.1", "san=ip:127.0.0.1,dns:localhost");
        pki.issue("agent", "CN=agent", null);
    }

    @TempDir
    Path dir;

    @Test
    void agentsAndTheCliVerifyTheCoordinatorsCertificateWithACustomCa() throws Exception {
        int port = freePort();
        String url = "https://127.0.0.1:" + port;
        List<Process> processes = new ArrayList<>();
        try {
            processes.add(mesh(
                    "coordinator",
                    "coordinator",
                    "--port",
                    "" + port,
                    "--data-dir",
                    "coord",
                    "--tls-cert",
                    pki.chain("server").toString(),
                    "--tls-key",
                    pki.key("server").toString()));
            awaitLog("coordinator", "Coordinator listening on https://");
            String token = Files.readString(dir.resolve("coord/admin.token")).strip();
            processes.add(mesh(
                    "agent",
                    "agent",
                    "--coordinator",
                    url,
                    "--token",
                    token,
                    "--name",
                    "tls-agent",
                    "--data-dir",
                    "agent",
                    "--http-port",
                    "-1",
                    "--ca-file",
                    pki.ca().toString()));
            awaitLog("agent", "connected to coordinator");

            Result ok = run(
                    "submit",
                    "echo",
                    "--payload",
                    "{\"hello\":\"tls\"}",
                    "--wait",
                    "--coordinator",
                    url,
                    "--token",
                    token,
                    "--ca-file",
                    pki.ca().toString());
            // --wait exits 0 only when the job COMPLETED, and prints its result (echo: the payload).
            assertThat(ok.exit()).as(ok.output()).isZero();
            assertThat(ok.output()).contains("\"hello\" : \"tls\"");

            // Without the CA the CLI refuses the coordinator's certificate.
            Result untrusted = run("submit", "echo", "--wait", "--coordinator", url, "--token", token);
            assertThat(untrusted.exit()).as(untrusted.output()).isNotZero();
        } finally {
            processes.forEach(p -> p.destroyForcibly());
        }
    }

    @Test
    void withAClientCaOnlyAnAgentPresentingACertificateJoins() throws Exception {
        int port = freePort();
        String url = "https://127.0.0.1:" + port;
        List<Process> processes = new ArrayList<>();
        try {
            processes.add(mesh(
                    "coordinator",
                    "coordinator",
                    "--port",
                    "" + port,
                    "--data-dir",
                    "coord",
                    "--tls-cert",
                    pki.chain("server").toString(),
                    "--tls-key",
                    pki.key("server").toString(),
                    "--tls-client-ca",
                    pki.ca().toString()));
            awaitLog("coordinator", "Coordinator listening on https://");
            String token = Files.readString(dir.resolve("coord/admin.token")).strip();
            processes.add(mesh(
                    "agent-nocert",
                    "agent",
                    "--coordinator",
                    url,
                    "--token",
                    token,
                    "--name",
                    "no-cert",
                    "--data-dir",
                    "a1",
                    "--http-port",
                    "-1",
                    "--ca-file",
                    pki.ca().toString()));
            processes.add(mesh(
                    "agent-cert",
                    "agent",
                    "--coordinator",
                    url,
                    "--token",
                    token,
                    "--name",
                    "with-cert",
                    "--data-dir",
                    "a2",
                    "--http-port",
                    "-1",
                    "--ca-file",
                    pki.ca().toString(),
                    "--tls-cert",
                    pki.chain("agent").toString(),
                    "--tls-key",
                    pki.key("agent").toString()));
            awaitLog("agent-cert", "connected to coordinator");

            try (MeshClient client =
                    MeshClient.connect(MeshClientOptions.of(url, token).withCaFile(pki.ca()))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.nodes().stream().anyMatch(n -> "with-cert".equals(n.name())));
                // The agent without a certificate has tried (and been refused) at least twice meanwhile.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> occurrences(log("agent-nocert"), "coordinator link to") >= 2);
                assertThat(log("agent-nocert")).doesNotContain("connected to coordinator");
                assertThat(client.nodes()).noneMatch(n -> "no-cert".equals(n.name()));
            }
            Result ok = run(
                    "submit",
                    "echo",
                    "--wait",
                    "--coordinator",
                    url,
                    "--token",
                    token,
                    "--ca-file",
                    pki.ca().toString());
            assertThat(ok.exit()).as(ok.output()).isZero(); // --wait: 0 only when the job COMPLETED
        } finally {
            processes.forEach(p -> p.destroyForcibly());
        }
    }

    // ------------------------------------------------------------------------------------------------ processes

    record Result(int exit, String output) {}

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<String> command(String... args) {
        Path jar = Path.of(System.getProperty("mesh.jar", "../mesh-cli/target/mesh.jar"))
                .toAbsolutePath()
                .normalize();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-jar",
                jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private Process mesh(String logName, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command(args))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName + ".log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("MESH_"));
        return builder.start();
    }

    private Result run(String... args) throws Exception {
        Path out = Files.createTempFile(dir, "run", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command(args))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("MESH_"));
        Process p = builder.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mesh " + List.of(args) + " did not finish in 60 s: " + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (Exception e) {
            return "";
        }
    }

    private void awaitLog(String name, String text) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> log(name).contains(text));
    }

    private static int occurrences(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
