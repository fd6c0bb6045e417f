package org.planetarymesh.coordinator.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin token: created on first start in {@code <data-dir>/admin.token} (mode 0600) and read back on later
 * starts, so a restarted coordinator keeps accepting the same clients and agents.
 */
public final class AdminToken {

    public static final String FILE_NAME = "admin.token";

    private final String token;
    private final Path file;

    private AdminToken(String token, Path file) {
        this.token = token;
        this.file = file;
    }

    /** Reads the token in {@code dataDir}, creating it first if there is none. */
    public static AdminToken loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(file)) {
                String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!existing.isEmpty()) {
                    return new AdminToken(existing, file);
                }
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = "mesh_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path tmp = Files.createTempFile(dataDir, "admin", ".tmp");
            trySetOwnerOnly(tmp);
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new AdminToken(token, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token in " + dataDir, e);
        }
    }

    private static void trySetOwnerOnly(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Non-POSIX file system: the directory's own protection applies.
        }
    }

    public String value() {
        return token;
    }

    public Path file() {
        return file;
    }

    /** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }
}
