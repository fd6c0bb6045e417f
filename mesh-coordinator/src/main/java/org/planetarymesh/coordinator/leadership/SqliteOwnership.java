package org.planetarymesh.coordinator.leadership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One coordinator per SQLite file: a lock on {@code <file>.coordinator-lock} next to the database, held for the
 * process's life (the operating system drops it however the process ends). The data dir's own lock does not cover
 * two coordinators with different data dirs pointed at one file by {@code --database-url jdbc:sqlite:...}.
 */
public final class SqliteOwnership implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private SqliteOwnership(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Refused because another coordinator uses the file; the message says what to do instead. */
    public static final class SecondCoordinatorException extends RuntimeException {
        SecondCoordinatorException(String message) {
            super(message);
        }
    }

    /** Takes the lock for {@code database}, or throws {@link SecondCoordinatorException}. */
    public static SqliteOwnership acquire(Path database) {
        Path file = database.resolveSibling(database.getFileName() + ".coordinator-lock");
        FileChannel channel = null;
        try {
            if (database.getParent() != null) {
                Files.createDirectories(database.getParent());
            }
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new SecondCoordinatorException("the SQLite database " + database.toAbsolutePath()
                        + " is already used by another coordinator" + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + ": SQLite takes one coordinator. To run several coordinators (a leader and standbys), put"
                        + " them on one PostgreSQL database with --database-url postgresql://... (docs/OPERATIONS.md)");
            }
            channel.truncate(0);
            String me = "pid " + ProcessHandle.current().pid() + ", started " + Instant.now();
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new SqliteOwnership(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the process's end releases it anyway
                }
            }
            throw new UncheckedIOException("cannot lock the SQLite database " + database, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process's end releases it anyway
        }
    }
}
