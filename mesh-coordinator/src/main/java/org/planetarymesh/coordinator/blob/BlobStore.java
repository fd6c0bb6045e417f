package org.planetarymesh.coordinator.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.planetarymesh.core.blob.Cid;

/**
 * Content-addressed bytes (WebAssembly modules, inputs) as files under {@code <data_dir>/blobs/}, each named by its
 * CID. Files rather than rows: blobs are megabytes written once and read whole, which a file serves with no copy
 * through the job store's writer, and the name proves the content (docs/adr/0071). A write goes to a temporary file in
 * the same directory and is renamed into place, so a crash leaves either the whole blob or none; storing bytes that are
 * already there writes nothing (deduplication by name).
 */
public final class BlobStore {
    private final Path dir;
    private final long maxBytes;

    /** A store in {@code dir} (created when missing) taking blobs of at most {@code maxBytes}. */
    public BlobStore(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the blob directory " + dir, e);
        }
    }

    /** The largest blob accepted, in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Stores {@code bytes} (once) and answers their CID; {@code created} says whether they were new. */
    public Stored put(byte[] bytes) {
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException(
                    "a blob may be at most " + maxBytes + " bytes; this one has " + bytes.length);
        }
        Cid cid = Cid.of(bytes);
        Path target = dir.resolve(cid.text());
        if (Files.exists(target)) {
            return new Stored(cid, bytes.length, false);
        }
        try {
            Path temp = Files.createTempFile(dir, ".incoming-", ".tmp");
            try {
                Files.write(temp, bytes);
                try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                    channel.force(true); // durable before it becomes visible under its name
                }
                moveIntoPlace(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store blob " + cid, e);
        }
        return new Stored(cid, bytes.length, true);
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The file holding {@code cid}'s bytes, or empty when this store has none. */
    public Optional<Path> find(Cid cid) {
        Path file = dir.resolve(cid.text());
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** What {@link #put} did. */
    public record Stored(Cid cid, long size, boolean created) {}
}
