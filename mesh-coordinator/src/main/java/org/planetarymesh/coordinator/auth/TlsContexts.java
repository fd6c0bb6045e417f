package org.planetarymesh.coordinator.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.planetarymesh.coordinator.CoordinatorConfig;

/**
 * Builds the coordinator's TLS from PEM files: a certificate chain and an unencrypted PKCS#8 private key
 * ({@code BEGIN PRIVATE KEY}; RSA, EC or Ed25519), and optionally a CA bundle for client certificates (mTLS).
 */
public final class TlsContexts {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----", Pattern.DOTALL);
    private static final char[] PASSWORD = "mesh".toCharArray();

    private TlsContexts() {}

    /**
     * A Jetty server TLS factory for {@code tls}. With a client CA, client certificates are requested but not
     * required at the handshake, so API clients without one still connect; the agent endpoint requires one.
     */
    public static SslContextFactory.Server serverFactory(CoordinatorConfig.Tls tls) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            List<Certificate> chain = certificates(tls.certFile());
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + tls.certFile());
            }
            keys.setKeyEntry("mesh", privateKey(tls.keyFile()), PASSWORD, chain.toArray(Certificate[]::new));
            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setKeyStore(keys);
            factory.setKeyStorePassword(new String(PASSWORD));
            if (tls.clientCaFile() != null) {
                factory.setTrustStore(trustStore(tls.clientCaFile()));
                factory.setWantClientAuth(true);
            }
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate/key: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
        }
    }

    /** A key store holding every certificate in the PEM file {@code caFile} as a trusted entry. */
    public static KeyStore trustStore(Path caFile) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Certificate cert : certificates(caFile)) {
            trust.setCertificateEntry("ca" + i++, cert);
        }
        if (i == 0) {
            throw new IllegalArgumentException("no certificate in " + caFile);
        }
        return trust;
    }

    static List<Certificate> certificates(Path file) throws GeneralSecurityException, IOException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> certs = new ArrayList<>();
        for (byte[] der : blocks(file, "CERTIFICATE")) {
            certs.add(factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        return certs;
    }

    static PrivateKey privateKey(Path file) throws GeneralSecurityException, IOException {
        List<byte[]> blocks = blocks(file, "PRIVATE KEY");
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no '-----BEGIN PRIVATE KEY-----' (PKCS#8) block;"
                    + " convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(blocks.getFirst());
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "EdDSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("unsupported private key in " + file, last);
    }

    private static List<byte[]> blocks(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<byte[]> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        // Bounded by the file's length: each match consumes text.
        while (m.find()) {
            if (m.group(1).equals(type)) {
                blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return blocks;
    }
}
