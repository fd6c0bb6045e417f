package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.store.StoreFixtures.aJob;
import static org.planetarymesh.store.StoreFixtures.insert;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore.Write;

/** A damaged, empty or foreign {@code mesh.db} is refused on open with what to do; a sound one opens as before. */
class SqliteIntegrityTest {

    private static final int DAMAGE_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void aFileWith64KibOverwrittenInTheMiddleIsRefusedNamingTheFileAndWhatToDo() throws IOException {
        Path file = storeWithJobs(3_000);
        long size = Files.size(file);
        assertThat(size).as("the damage must land inside the file").isGreaterThan(4L * DAMAGE_BYTES);
        byte[] garbage = new byte[DAMAGE_BYTES];
        new Random(35).nextBytes(garbage);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(size / 2);
            raf.write(garbage);
        }

        assertThatThrownBy(() -> Database.sqlite(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is damaged; SQLite's quick_check found:")
                .hasMessageContaining("Restore it from a backup")
                .hasMessageContaining("move it aside");
    }

    @Test
    void anEmptyFileIsRefusedRatherThanStartedEmpty() throws IOException {
        Path file = Files.createFile(dir.resolve("mesh.db"));

        assertThatThrownBy(() -> Database.sqlite(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is empty (0 bytes)")
                .hasMessageContaining("move it aside");
        assertThat(Files.size(file)).as("nothing was written to it").isZero();
    }

    @Test
    void aFileThatIsNoSqliteDatabaseIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("mesh.db"), "{\"jobs\": []}\n".repeat(2_000));

        assertThatThrownBy(() -> Database.sqlite(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is not an SQLite database");
    }

    @Test
    void aSoundFileOpensWithItsJobs() {
        storeWithJobs(500);

        try (Database db = Database.sqlite(dir)) {
            assertThat(db.jobs().countByStatus().get(JobStatus.QUEUED)).isEqualTo(500);
        }
    }

    /** Makes {@code mesh.db} in the data dir with {@code n} jobs and closes it (its WAL checkpointed into the file). */
    private Path storeWithJobs(int n) {
        try (Database db = Database.sqlite(dir)) {
            List<Write> writes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                writes.add(insert(aJob()));
            }
            db.jobs().apply(writes);
        }
        return dir.resolve("mesh.db");
    }
}
