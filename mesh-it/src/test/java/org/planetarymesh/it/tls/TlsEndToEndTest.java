package org.planetarymesh.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshClientOptions;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.testkit.pki.TestPki;

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
        int port = MeshCluster.freePort();
        String url = "https://127.0.0.1:" + port;
        List<MeshProcess> processes = new ArrayList<>();
        try {
            MeshProcess coordinator = mesh(
                    "coordinator",
                    "coordinator",
                    "--port",
                    "" + port,
                    "--data-dir",
                    "coord",
                    "--tls-cert",
                    pki.chain("server").toString(),
                    "--tls-key",
                    pki.key("server").toString());
            processes.add(coordinator);
            coordinator.awaitLog("Coordinator listening on https://", Duration.ofSeconds(60));
            String token = Files.readString(dir.resolve("coord/admin.token")).strip();
            MeshProcess agent = mesh(
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
                    pki.ca().toString());
            processes.add(agent);
            agent.awaitLog("connected to coordinator", Duration.ofSeconds(60));

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
            processes.forEach(MeshProcess::close);
        }
    }

    @Test
    void withAClientCaOnlyAnAgentPresentingACertificateJoins() throws Exception {
        int port = MeshCluster.freePort();
        String url = "https://127.0.0.1:" + port;
        List<MeshProcess> processes = new ArrayList<>();
        try {
            MeshProcess coordinator = mesh(
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
                    pki.ca().toString());
            processes.add(coordinator);
            coordinator.awaitLog("Coordinator listening on https://", Duration.ofSeconds(60));
            String token = Files.readString(dir.resolve("coord/admin.token")).strip();
            MeshProcess noCert = mesh(
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
                    pki.ca().toString());
            processes.add(noCert);
            MeshProcess withCert = mesh(
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
                    pki.key("agent").toString());
            processes.add(withCert);
            withCert.awaitLog("connected to coordinator", Duration.ofSeconds(60));

            try (MeshClient client =
                    MeshClient.connect(MeshClientOptions.of(url, token).withCaFile(pki.ca()))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.nodes().stream().anyMatch(n -> "with-cert".equals(n.name())));
                // The agent without a certificate has tried (and been refused) at least twice meanwhile; a repeated
                // refusal is logged again at its second occurrence, naming the certificate options.
                await().atMost(Duration.ofSeconds(30)).until(() -> noCert.count("refused this agent \\(401\\)") >= 2);
                assertThat(noCert.log()).contains("--tls-cert and --tls-key");
                assertThat(noCert.log()).doesNotContain("connected to coordinator");
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
            processes.forEach(MeshProcess::close);
        }
    }

    // ------------------------------------------------------------------------------------------------ processes

    /** A finished {@code mesh} command: its exit code and its stdout followed by its stderr. */
    record Result(int exit, String output) {}

    /** Starts {@code mesh ARGS...} in the test's directory, output to {@code dir/<logName>.log}. */
    private MeshProcess mesh(String logName, String... args) {
        return MeshProcess.start(logName, dir, Map.of(), args);
    }

    private Result run(String... args) {
        MeshProcess.Result result = MeshProcess.run(dir, Map.of(), Duration.ofSeconds(60), args);
        return new Result(result.exitCode(), result.stdout() + result.stderr());
    }
}
