package org.planetarymesh.testkit.pki;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and the certificates it issues, made with the JDK's {@code keytool} (run as a process, so no crypto library
 * is needed) in one directory. For each name it writes what the {@code mesh} command takes — {@code NAME-chain.pem}
 * (certificate + CA) and {@code NAME.key} (unencrypted PKCS#8) — and {@code NAME.p12}, a PKCS#12 store whose key entry
 * holds the full chain, for a Java client that presents the certificate. The CA is {@link #ca()} ({@code ca.pem}).
 */
public final class TestPki {

    /** The password of every PKCS#12 store here. */
    public static final String PASSWORD = "changeit";

    private final Path dir;

    /** Makes a CA ({@code CN=mesh-test-ca}, EC P-256, valid two days) in {@code dir}. */
    public TestPki(Path dir) throws Exception {
        this.dir = dir;
        generateKeyPair("ca", "CN=mesh-test-ca", "ca.p12", "-ext", "bc:c");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-storepass",
                PASSWORD,
                "-file",
                "ca.pem");
    }

    /** The CA's certificate, PEM. */
    public Path ca() {
        return dir.resolve("ca.pem");
    }

    /** {@code name}'s certificate followed by the CA's, PEM. */
    public Path chain(String name) {
        return dir.resolve(name + "-chain.pem");
    }

    /** {@code name}'s private key, unencrypted PKCS#8 PEM. */
    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    /** {@code name}'s PKCS#12 store (password {@link #PASSWORD}): its key with the full certificate chain. */
    public Path keyStore(String name) {
        return dir.resolve(name + ".p12");
    }

    /**
     * Issues {@code name}'s certificate signed by the CA, with subject {@code dname} and {@code san} as keytool's
     * {@code -ext} takes it (e.g. {@code san=ip:127.0.0.1,dns:localhost}), or null for none.
     */
    public void issue(String name, String dname, String san) throws Exception {
        String store = name + ".p12";
        generateKeyPair(name, dname, store);
        keytool("-certreq", "-alias", name, "-keystore", store, "-storepass", PASSWORD, "-file", name + ".csr");
        List<String> gencert = new ArrayList<>(List.of(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-storepass",
                PASSWORD,
                "-validity",
                "2",
                "-infile",
                name + ".csr",
                "-outfile",
                name + ".pem"));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        Files.writeString(chain(name), Files.readString(dir.resolve(name + ".pem")) + Files.readString(ca()));
        PrivateKey key = storeSignedChain(name);
        Files.writeString(
                key(name),
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(key.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
    }

    /** Replaces the self-signed entry of {@code name}'s store by its key with the CA-signed chain; returns the key. */
    private PrivateKey storeSignedChain(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore(name))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey(name, PASSWORD.toCharArray());
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(chain(name))) {
            chain = x509.generateCertificates(in).toArray(Certificate[]::new);
        }
        ks.setKeyEntry(name, key, PASSWORD.toCharArray(), chain);
        try (OutputStream out = Files.newOutputStream(keyStore(name))) {
            ks.store(out, PASSWORD.toCharArray());
        }
        return key;
    }

    /** An EC P-256 key pair with a self-signed certificate valid two days, as {@code alias} in {@code store}. */
    private void generateKeyPair(String alias, String dname, String store, String... extra) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname));
        args.addAll(List.of(extra));
        args.addAll(List.of("-validity", "2", "-keystore", store, "-storepass", PASSWORD));
        keytool(args.toArray(String[]::new));
    }

    private void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("keytool " + command + " failed: " + output);
        }
    }
}
