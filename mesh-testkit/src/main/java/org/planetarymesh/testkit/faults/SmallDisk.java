package org.planetarymesh.testkit.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system (tmpfs) mounted on a directory, which a test fills to the last byte to make the files on
 * it unwritable, as a full disk does, and frees again. Needs root (mount); the test says so if it is not.
 */
public final class SmallDisk implements AutoCloseable {

    private static final int CHUNK = 1 << 20;

    private final Path mountPoint;
    private final Path filler;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler.bin");
    }

    /** Mounts a tmpfs of {@code megabytes} on {@code mountPoint} (created if missing). */
    public static SmallDisk mount(Path mountPoint, int megabytes) {
        try {
            Files.createDirectories(mountPoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", mountPoint.toString()));
        return new SmallDisk(mountPoint);
    }

    /** Writes a file until the file system has no block left (ENOSPC). */
    public void fill() {
        byte[] chunk = new byte[CHUNK];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            // "No space left on device": what the test wants; anything else would show in the store's error.
        }
        try (OutputStream out = Files.newOutputStream(filler.resolveSibling("filler-tail.bin"))) {
            byte[] page = new byte[4096]; // tmpfs allocates by page: the pages the last large write could not take
            for (int i = 0; i < CHUNK / page.length; i++) {
                out.write(page);
            }
        } catch (IOException full) {
            // full to the byte
        }
    }

    /** Deletes what {@link #fill} wrote. */
    public void free() {
        try {
            Files.deleteIfExists(filler);
            Files.deleteIfExists(filler.resolveSibling("filler-tail.bin"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        run(List.of("umount", "-l", mountPoint.toString()));
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(command + " failed (a tmpfs mount needs root): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
