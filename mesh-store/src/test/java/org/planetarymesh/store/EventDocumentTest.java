package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        assertThat(read(JOB, failed.seq(), document)).containsExactly(failed);
    }

    @Test
    void aDocumentWrittenWithItsKeyReadsTheSameAndTheRowsKeyWins() throws Exception {
        String withKey = Json.mapper().writeValueAsString(failed);

        assertThat(read(JOB, failed.seq(), withKey)).containsExactly(failed);
        assertThat(read("other-job", 7, withKey))
                .singleElement()
                .extracting(JobEvent::jobId, JobEvent::seq)
                .containsExactly("other-job", 7L);
    }

    @Test
    void anEndStoredWithItsStatusEventReadsBackAsBothUnlessTheStatusIsNotAfterTheCursor() {
        JobEvent status = JobEvent.terminalStatus(failed, failed.seq() - 3);
        String document = EventDocument.encode(new JobStore.Write.AppendEnd(status, failed));

        assertThat(document).contains("\"status_seq\":" + status.seq());
        assertThat(read(JOB, failed.seq(), document)).containsExactly(status, failed);
        assertThat(read(JOB, failed.seq(), document, status.seq())).containsExactly(failed);
    }

    @Test
    void aPairThatIsNotATerminalStatusAndItsEndIsRefused() {
        JobEvent status = JobEvent.terminalStatus(failed, failed.seq() - 1);
        JobEvent otherStatus = new JobEvent(
                JOB,
                failed.seq() - 1,
                JobEvent.Kind.STATUS,
                T,
                2,
                JobStatus.COMPLETED,
                null,
                null,
                null,
                null,
                null,
                null,
                null);

        assertThatThrownBy(() -> new JobStore.Write.AppendEnd(failed, status))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JobStore.Write.AppendEnd(status, status))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JobStore.Write.AppendEnd(otherStatus, failed))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDocumentThatIsNotAnObjectIsAStoreErrorNamingTheEvent() {
        assertThatThrownBy(() -> read(JOB, 3, "[1, 2]"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("stored event 3 of job " + JOB);
        assertThatThrownBy(() -> read(JOB, 3, "{\"kind\":"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("stored event 3 of job " + JOB);
    }

    private static List<JobEvent> read(String jobId, long seq, String document) {
        return read(jobId, seq, document, 0);
    }

    private static List<JobEvent> read(String jobId, long seq, String document, long afterSeq) {
        List<JobEvent> out = new ArrayList<>();
        EventDocument.decode(jobId, seq, document, afterSeq, out);
        return out;
    }
}
