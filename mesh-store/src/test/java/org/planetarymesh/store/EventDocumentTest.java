package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;

/** Stored events leave their key out and get it back from the row; documents that still carry it read the same. */
class EventDocumentTest {

    private static final Instant T = Instant.parse("2026-12-01T21:05:12.431781279Z");
    private static final String JOB = "01a2336d-04fd-7000-adca-96ebb104d7ef";

    private final JobEvent failed = new JobEvent(
            JOB,
            1796159109005266L,
            JobEvent.Kind.END,
            T,
            2,
            JobStatus.FAILED,
            0.5,
            null,
            null,
            null,
            null,
            new JobError("timeout", "too slow"),
            null);

    @Test
    void theDocumentLeavesTheKeyOutAndReadingPutsItBack() {
        String document = EventDocument.encode(failed);

        assertThat(document).doesNotContain(JOB).doesNotContain("seq");
        assertThat(EventDocument.decode(JOB, failed.seq(), document)).isEqualTo(failed);
    }

    @Test
    void aDocumentWrittenWithItsKeyReadsTheSameAndTheRowsKeyWins() throws Exception {
        String withKey = Json.mapper().writeValueAsString(failed);

        assertThat(EventDocument.decode(JOB, failed.seq(), withKey)).isEqualTo(failed);
        assertThat(EventDocument.decode("other-job", 7, withKey))
                .extracting(JobEvent::jobId, JobEvent::seq)
                .containsExactly("other-job", 7L);
    }

    @Test
    void aDocumentThatIsNotAnObjectIsAStoreErrorNamingTheEvent() {
        assertThatThrownBy(() -> EventDocument.decode(JOB, 3, "[1, 2]"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("stored event 3 of job " + JOB);
        assertThatThrownBy(() -> EventDocument.decode(JOB, 3, "{\"kind\":"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("stored event 3 of job " + JOB);
    }
}
