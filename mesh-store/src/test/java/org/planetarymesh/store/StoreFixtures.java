package org.planetarymesh.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.store.JobStore.Write;

/** Domain builders for store tests: {@code aJob()}, {@code jobIn(RUNNING)}, and writes that read like the spec. */
final class StoreFixtures {

    private StoreFixtures() {}

    /** The instant {@code seconds} after a fixed epoch, in whole seconds so that JSON round trips are exact. */
    static Instant at(long seconds) {
        return Instant.parse("2030-01-01T00:00:00Z").plusSeconds(seconds);
    }

    static JobSpec spec(String type, Scope scope) {
        return new JobSpec(
                type,
                JsonNodeFactory.instance.objectNode().put("message", "hi"),
                scope,
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** A freshly submitted (QUEUED) echo job with a new time-ordered id. */
    static Job aJob() {
        return Job.submitted(JobIds.next(), spec("echo", Scope.HYBRID), at(0));
    }

    static Job aJob(String type, Scope scope) {
        return Job.submitted(JobIds.next(), spec(type, scope), at(0));
    }

    static Job aJobWithKey(String idempotencyKey) {
        return Job.submitted(JobIds.next(), spec("echo", Scope.HYBRID).withIdempotencyKey(idempotencyKey), at(0));
    }

    /** A job stored as being in {@code status}, built directly so any state (legal path or not) can be set up. */
    static Job jobIn(JobStatus status) {
        return withState(aJob(), status, null);
    }

    /** {@code job} in {@code status} on {@code node}, updated at a later instant; bypasses the state machine. */
    static Job withState(Job job, JobStatus status, String node) {
        return job.toBuilder().status(status).nodeId(node).updatedAt(at(1)).build();
    }

    static Write insert(Job job) {
        return new Write.Insert(job);
    }

    static Write update(Job job) {
        return new Write.Update(job);
    }

    static Write event(JobEvent event) {
        return new Write.AppendEvent(event);
    }

    static JobEvent progressEvent(String jobId, long seq) {
        return JobEvent.progress(jobId, seq, at(seq), 1, seq / 10.0, "step " + seq);
    }

    static List<Write> inserts(List<Job> jobs) {
        return jobs.stream().map(StoreFixtures::insert).toList();
    }
}
