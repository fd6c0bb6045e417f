package org.planetarymesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.auth.TlsContexts;
import org.planetarymesh.testkit.agent.RawAgent;
import org.planetarymesh.testkit.agent.RawAgent.Identity;
import org.planetarymesh.testkit.pki.TestPki;

/**
 * HTTPS and WSS with a CA and certificates made by the test kit's {@link TestPki} (the JDK's {@code keytool}): clients
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
        TestPki ca = new TestPki(pki);
        ca.issue("server", "CN=127.0.0.1", "san=ip:127.0.0.1,dns:localhost");
        ca.issue("agent", "CN=agent", null);
        caPem = ca.ca();
        serverPem = ca.chain("server");
        serverKey = ca.key("server");
        agentP12 = ca.keyStore("agent");
    }

    private static HttpClient client(boolean trustCa, boolean withClientCert) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustCa ? TlsContexts.trustStore(caPem) : null);
        KeyManagerFactory kmf = null;
        if (withClientCert) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(agentP12)) {
                ks.load(in, TestPki.PASSWORD.toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, TestPki.PASSWORD.toCharArray());
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
