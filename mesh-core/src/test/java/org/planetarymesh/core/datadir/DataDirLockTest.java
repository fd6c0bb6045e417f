package org.planetarymesh.core.datadir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data-dir lock between real processes: refused with who holds it, and free again once the holder dies. */
class DataDirLockTest {

    @TempDir
    Path dir;

    private static Process holder(Path dir, String role) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHolder.class.getName(),
                        dir.toString(),
                        role)
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked"); // blocks until the child holds the lock (or dies: null)
        return p;
    }

    @Test
    void aSecondProcessIsRefusedNamingTheHolderUntilItDies() throws Exception {
        Process other = holder(dir, "agent");
        try {
            assertThatThrownBy(() -> DataDirLock.acquire(dir, "agent"))
                    .isInstanceOf(DataDirLock.InUseException.class)
                    .hasMessageContaining("in use by another agent")
                    .hasMessageContaining("pid " + other.pid())
                    .hasMessageContaining("--data-dir");
            // Another role may share the dir.
            DataDirLock.acquire(dir, "coordinator").close();
        } finally {
            other.destroyForcibly(); // SIGKILL: the OS releases the lock, nothing is cleaned up by the holder
            assertThat(other.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        try (DataDirLock mine = DataDirLock.acquire(dir, "agent")) {
            assertThatThrownBy(() -> DataDirLock.acquire(dir, "agent"))
                    .isInstanceOf(DataDirLock.InUseException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        DataDirLock.acquire(dir, "agent").close(); // released by close
    }
}
