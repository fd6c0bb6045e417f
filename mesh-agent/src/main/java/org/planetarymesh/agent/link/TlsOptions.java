package org.planetarymesh.agent.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.planetarymesh.agent.config.AgentConfig;

/**
 * The agent's side of TLS: trust a custom CA ({@code ca_file}, PEM) for the coordinator's certificate, and present a
 * client certificate ({@code tls_cert} PEM chain + {@code tls_key} unencrypted PKCS#8 PEM) when the coordinator
 * requires mTLS. Without any of them the JDK's default trust store is used.
 */
public final class TlsOptions {

    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END PRIVATE KEY-----", Pattern.DOTALL);
    private static final char[] PASSWORD = "mesh".toCharArray();

    private TlsOptions() {}

    /**
     * The HTTP client the coordinator link dials with, with TLS when options are set. Its tasks run on the client's
     * own selector thread instead of hopping to a pool: the link's listener decodes a frame and hands its assignments
     * to the runner without blocking, and the hop it saves was ~0.1 ms of every assignment's way there (docs/adr/0004).
     */
    public static HttpClient httpClient(AgentConfig config) {
        SSLContext ssl = sslContext(config.caFile(), config.tlsCert(), config.tlsKey());
        HttpClient.Builder builder = HttpClient.newBuilder().executor(Runnable::run);
        return ssl == null ? builder.build() : builder.sslContext(ssl).build();
    }

    /** An SSL context trusting {@code caFile} (null: the JDK's CAs) and presenting {@code cert}/{@code key}. */
    public static SSLContext sslContext(Path caFile, Path cert, Path key) {
        if (caFile == null && cert == null && key == null) {
            return null;
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(caFile == null ? null : trustStore(caFile));
            KeyManagerFactory kmf = null;
            if (cert != null && key != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry(
                        "mesh", privateKey(key), PASSWORD, certificates(cert).toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, PASSWORD);
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the TLS files: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
        }
    }

    /** Every certificate in the PEM file {@code caFile}, as trusted entries. */
    public static KeyStore trustStore(Path caFile) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        List<Certificate> certs = certificates(caFile);
        for (int i = 0; i < certs.size(); i++) {
            trust.setCertificateEntry("ca" + i, certs.get(i));
        }
        return trust;
    }

    private static List<Certificate> certificates(Path pem) throws GeneralSecurityException, IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<Certificate> certs =
                    new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certs.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + pem);
            }
            return certs;
        }
    }

    private static PrivateKey privateKey(Path pem) throws GeneralSecurityException, IOException {
        Matcher m = KEY.matcher(Files.readString(pem, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new GeneralSecurityException(pem + " holds no '-----BEGIN PRIVATE KEY-----' (PKCS#8) block;"
                    + " convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        PKCS8EncodedKeySpec spec =
                new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        GeneralSecurityException last = null;
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("unsupported private key in " + pem, last);
    }
}
