package org.planetarymesh.core.datadir;

import java.nio.file.Path;

/** A separate process for {@link DataDirLockTest}: takes the lock, says so, and holds it until killed or told. */
public final class LockHolder {

    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (DataDirLock lock = DataDirLock.acquire(Path.of(args[0]), args[1])) {
            System.out.println("locked");
            System.out.flush();
            System.in.read(); // held until stdin closes or the process is killed
        }
    }
}
