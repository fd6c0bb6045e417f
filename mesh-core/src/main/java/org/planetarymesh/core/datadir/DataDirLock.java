package org.planetarymesh.core.datadir;

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
 * An exclusive lock on a data dir for the life of a process: two coordinators on one SQLite file, or two agents with
 * one identity, would corrupt each other's state or knock each other off the mesh. The operating system releases the
 * lock when the process ends however it ends (kill -9 included), so a stale lock file never blocks a restart. Each
 * role has its own lock file ({@code coordinator.lock}, {@code agent.lock}), so a coordinator and an agent may share a
 * dir; two of one role may not.
 */
public final class DataDirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Raised when another process (or this one) already holds the lock; the message says who and what to do. */
    public static final class InUseException extends RuntimeException {
        InUseException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock on {@code dir} for {@code role} ({@code coordinator} or {@code agent}), creating the dir if
     * needed, and records this process in the lock file; throws {@link InUseException} if it is held.
     */
    public static DataDirLock acquire(Path dir, String role) {
        Path file = dir.resolve(role + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM (another coordinator or agent started in it)
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new InUseException("the data dir " + dir.toAbsolutePath() + " is in use by another " + role
                        + (holder.isEmpty() ? "" : " (" + holder + ")") + ": stop that one first, or give this " + role
                        + " its own --data-dir");
            }
            channel.truncate(0);
            String me = "pid " + ProcessHandle.current().pid() + ", started " + Instant.now();
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock the data dir " + dir.toAbsolutePath() + " (" + file + ")", e);
        }
    }

    /** Releases the lock; the file stays (deleting it could let a third process lock a file a second one opened). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it anyway
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing held that the process's end would not release
            }
        }
    }
}
