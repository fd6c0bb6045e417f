package org.planetarymesh.client;

import java.nio.file.Path;
import java.time.Duration;
import org.planetarymesh.core.net.CoordinatorUrls;

/**
 * How a {@link MeshClient} talks to a coordinator. {@link #of} fills in defaults that suit a CLI and tests: 5 s to
 * connect, 30 s per request (event streams are exempt once they started), and a 500 ms poll interval when
 * {@link MeshClient#await} has to fall back to polling. {@code caFile} (PEM) is a CA to trust for an {@code https}
 * coordinator whose certificate the JDK's trust store does not know; null uses the JDK's CAs.
 */
public record MeshClientOptions(
        String url,
        String token,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration pollInterval,
        Path caFile) {

    public MeshClientOptions {
        // One coordinator, or several comma-separated (a leader and its standbys: the client finds the leader).
        url = CoordinatorUrls.join(CoordinatorUrls.normalize(url));
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
        pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
    }

    /** Defaults for everything but where and who. {@code url} may be {@code :7070}, {@code host:7070} or a URL. */
    public static MeshClientOptions of(String url, String token) {
        return new MeshClientOptions(url, token, null, null, null, null);
    }

    public MeshClientOptions withConnectTimeout(Duration value) {
        return new MeshClientOptions(url, token, value, requestTimeout, pollInterval, caFile);
    }

    public MeshClientOptions withRequestTimeout(Duration value) {
        return new MeshClientOptions(url, token, connectTimeout, value, pollInterval, caFile);
    }

    public MeshClientOptions withPollInterval(Duration value) {
        return new MeshClientOptions(url, token, connectTimeout, requestTimeout, value, caFile);
    }

    /** Trust the CA certificates in the PEM file {@code value} (as well as none of the JDK's) for TLS. */
    public MeshClientOptions withCaFile(Path value) {
        return new MeshClientOptions(url, token, connectTimeout, requestTimeout, pollInterval, value);
    }

    /**
     * The SSL context trusting {@link #caFile}; for a plain-http coordinator without one, a context that trusts
     * nothing (the client never speaks TLS to it, and building the JDK's default context reads and parses its whole
     * CA store, a large part of a CLI round trip's start-up); else null, to use the JDK's default.
     */
    javax.net.ssl.SSLContext sslContext() {
        if (caFile == null && url.startsWith("http://")) {
            try {
                javax.net.ssl.SSLContext none = javax.net.ssl.SSLContext.getInstance("TLS");
                none.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
                return none;
            } catch (java.security.GeneralSecurityException e) {
                return null;
            }
        }
        if (caFile == null) {
            return null;
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(caFile)) {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (var cert :
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, cert);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no certificate in the CA file " + caFile);
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the CA file " + caFile + ": " + e.getMessage(), e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        // The token is a credential: keep it out of logs and exception messages.
        return "MeshClientOptions[url=" + url + ", token=" + (token == null ? "none" : "***") + ", connectTimeout="
                + connectTimeout + ", requestTimeout=" + requestTimeout + ", pollInterval=" + pollInterval + ", caFile="
                + caFile + "]";
    }
}
