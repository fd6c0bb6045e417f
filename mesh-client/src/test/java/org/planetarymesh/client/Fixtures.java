package org.planetarymesh.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;

/** Jobs and SSE frames as the coordinator would send them, built from the core records and the shared mapper. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private Fixtures() {}

    static Job queuedJob() {
        return Job.submitted(JobIds.next(), JobSpec.of("echo", new TextNode("hi")), T0);
    }

    static Job inStatus(Job job, JobStatus status) {
        Job running = job.assign("node-a", null, T0).running(T0);
        return switch (status) {
            case RUNNING -> running;
            case COMPLETED -> running.endAttempt(JobStatus.COMPLETED, "completed", new TextNode("hi"), null, null, T0);
            case FAILED -> running.finish(JobStatus.FAILED, new JobError("executor_error", "boom"), T0);
            default -> throw new IllegalArgumentException(status.name());
        };
    }

    static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String frame(JobEvent event) {
        return "id: " + event.seq() + "\nevent: " + event.kind().sseName() + "\ndata: " + json(event) + "\n\n";
    }

    static JobEvent chunk(String jobId, long seq, String text) {
        return JobEvent.chunk(
                jobId,
                seq,
                T0,
                1,
                seq,
                Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)),
                "stdout");
    }
}
