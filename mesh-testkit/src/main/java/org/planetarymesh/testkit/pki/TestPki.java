package org.planetarymesh.it.tls;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and certificates made with the JDK's {@code keytool} (run as a process), written as the PEM files the
 * {@code mesh} command takes: {@code ca.pem}, {@code NAME-chain.pem} (certificate + CA) and {@code NAME.key}
 * (unencrypted PKCS#8).
 */
final class TestPki {

    private final Path dir;

    TestPki(Path dir) throws Exception {
        this.dir = dir;
        keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=mesh-it-ca",
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
    }

    Path ca() {
        return dir.resolve("ca.pem");
    }

    Path chain(String name) {
        return dir.resolve(name + "-chain.pem");
    }

    Path key(String name) {
        return dir.resolve(name + ".key");
    }

    /** Issues {@code name}'s certificate signed by the CA ({@code san} e.g. {@code san=ip:127.0.0.1}, or null). */
    void issue(String name, String dname, String san) throws Exception {
        String store = name + ".p12";
        keytool(
                "-genkeypair",
                "-alias",
                name,
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
        keytool("-certreq", "-alias", name, "-keystore", store, "-storepass", "changeit", "-file", name + ".csr");
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
                name + ".csr",
                "-outfile",
                name + ".pem"));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        Files.writeString(chain(name), Files.readString(dir.resolve(name + ".pem")) + Files.readString(ca()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(store))) {
            ks.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey(name, "changeit".toCharArray());
        Files.writeString(
                key(name),
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
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
            output = new String(in.readAllBytes());
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("keytool " + command + " failed: " + output);
        }
    }
}
