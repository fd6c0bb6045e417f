package org.planetarymesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.auth.TlsContexts;
import org.planetarymesh.coordinator.testing.RawAgent;
import org.planetarymesh.coordinator.testing.RawAgent.Identity;

/**
 * HTTPS and WSS with a CA and certificates generated here by the JDK's {@code keytool} (run as a process): clients
 * that trust the test CA connect, clients that do not are refused at the handshake, and with a client CA the agent
 * endpoint requires a client certificate signed by it (mTLS) while API clients without one still work.
 */
class TlsTest {

    @TempDir
    static Path pki;

    static Path caPem;
    static Path serverPem;
    static Path serverKey;
    static Path agentP12;

    @BeforeAll
    static void makePki() throws Exception {
        keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=mesh-test-ca",
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-keystore",
                "ca.p12",
                "-storepass",
                "changeit");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-storepass",
                "changeit",
                "-file",
                "ca.pem");
        caPem = pki.resolve("ca.pem");
        issue("server", "CN=127.0.0.1", "san=ip:127.0.0.1,dns:localhost");
        issue("agent", "CN=agent", null);
        serverPem = pki.resolve("server-chain.pem");
        Files.writeString(serverPem, Files.readString(pki.resolve("server.pem")) + Files.readString(caPem));
        serverKey = pki.resolve("server.key");
        Files.writeString(serverKey, pkcs8Pem(pki.resolve("server.p12"), "server"));
        agentP12 = pki.resolve("agent.p12");
    }

    private static void issue(String alias, String dname, String san) throws Exception {
        String store = alias + ".p12";
        keytool(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dname,
                "-validity",
                "2",
                "-keystore",
                store,
                "-storepass",
                "changeit");
        keytool("-certreq", "-alias", alias, "-keystore", store, "-storepass", "changeit", "-file", alias + ".csr");
        List<String> gencert = new ArrayList<>(List.of(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-storepass",
                "changeit",
                "-validity",
                "2",
                "-infile",
                alias + ".csr",
                "-outfile",
                alias + ".pem"));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        // Import CA then the signed certificate so the key entry holds the full chain (for the client cert).
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                "ca.pem",
                "-keystore",
                store,
                "-storepass",
                "changeit");
        keytool("-importcert", "-alias", alias, "-file", alias + ".pem", "-keystore", store, "-storepass", "changeit");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(pki.toFile())
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes());
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", command, output).isZero();
    }

    private static String pkcs8Pem(Path p12, String alias) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey(alias, "changeit".toCharArray());
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static HttpClient client(boolean trustCa, boolean withClientCert) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustCa ? TlsContexts.trustStore(caPem) : null);
        KeyManagerFactory kmf = null;
        if (withClientCert) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(agentP12)) {
                ks.load(in, "changeit".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
        }
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    @Test
    void servesHttpsAndWssToClientsThatTrustTheCa(@TempDir Path dir) throws Exception {
        try (Coordinator c =
                Fixture.start(dir, cfg -> cfg.withTls(new CoordinatorConfig.Tls(serverPem, serverKey, null)))) {
            assertThat(c.url()).startsWith("https://127.0.0.1:");
            HttpClient trusting = client(true, false);
            assertThat(Fixture.call(trusting, c.url(), "GET", "/healthz", null, null)
                            .status())
                    .isEqualTo(200);
            assertThat(Fixture.call(trusting, c.url(), "GET", "/v1/jobs", null, c.adminToken())
                            .status())
                    .isEqualTo(200);
            assertThatThrownBy(() -> Fixture.call(client(false, false), c.url(), "GET", "/healthz", null, null))
                    .isInstanceOf(IOException.class);

            Identity me = Identity.generate();
            try (RawAgent agent = RawAgent.connect(trusting, c.url(), c.adminToken())) {
                agent.join(me.did(), me, me);
                org.awaitility.Awaitility.await()
                        .atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> c.scheduler().nodes().stream().anyMatch(n -> n.id().equals(me.did())));
            }
        }
    }

    @Test
    void agentsNeedAClientCertificateWhenAClientCaIsSet(@TempDir Path dir) throws Exception {
        try (Coordinator c =
                Fixture.start(dir, cfg -> cfg.withTls(new CoordinatorConfig.Tls(serverPem, serverKey, caPem)))) {
            HttpClient noCert = client(true, false);
            // API clients need no certificate.
            assertThat(Fixture.call(noCert, c.url(), "GET", "/v1/jobs", null, c.adminToken())
                            .status())
                    .isEqualTo(200);

            Identity me = Identity.generate();
            try (RawAgent agent = RawAgent.connect(client(true, true), c.url(), c.adminToken())) {
                agent.join(me.did(), me, me);
                org.awaitility.Awaitility.await()
                        .atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> c.scheduler().nodes().stream().anyMatch(n -> n.id().equals(me.did())));
            }
            // The agent endpoint does: the upgrade is refused with 401 even with a valid admin token.
            assertThatThrownBy(() -> RawAgent.connect(noCert, c.url(), c.adminToken()))
                    .hasStackTraceContaining("Unexpected HTTP response status code 401");
        }
    }
}
