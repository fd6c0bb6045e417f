package org.planetarymesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.NotFoundException;
import org.planetarymesh.core.job.JobStatus;

/**
 * Tells when every submitted job has ended without fetching them all: the mesh is done when no job is left in any
 * non-terminal status ({@code GET /v1/jobs?status=S&limit=1} per status, an index probe each). Progress comes from
 * {@code GET /v1/stats} when the coordinator serves it.
 */
final class CompletionWatcher {

    private static final List<String> NON_TERMINAL = Arrays.stream(JobStatus.values())
            .filter(s -> !s.isTerminal())
            .map(Enum::name)
            .toList();

    private final MeshClient client;
    private boolean statsAvailable = true;

    CompletionWatcher(MeshClient client) {
        this.client = client;
    }

    /** Whether no job is in a non-terminal status. */
    boolean idle() {
        for (String status : NON_TERMINAL) {
            JsonNode page = client.getJson("/v1/jobs?status=" + status + "&limit=1");
            if (!page.path("jobs").isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Jobs that ended per {@code /v1/stats} (those in a terminal status and those retention deleted since), or -1 when
     * the coordinator does not serve it.
     */
    long ended() {
        if (!statsAvailable) {
            return -1;
        }
        try {
            JsonNode stats = client.getJson("/v1/stats");
            JsonNode counts = stats.path("jobs");
            // Jobs retention deleted had ended too.
            long ended = stats.path("deleted").asLong(0);
            for (JobStatus s : JobStatus.values()) {
                if (s.isTerminal()) {
                    ended += counts.path(s.name()).asLong(0);
                }
            }
            return ended;
        } catch (NotFoundException e) {
            statsAvailable = false;
            return -1;
        }
    }

    /** How many jobs are COMPLETED per {@code /v1/stats}, or -1 when the coordinator does not serve it. */
    long completed() {
        if (!statsAvailable) {
            return -1;
        }
        try {
            return client.getJson("/v1/stats").path("jobs").path("COMPLETED").asLong(0);
        } catch (NotFoundException e) {
            statsAvailable = false;
            return -1;
        }
    }

    /**
     * The latest {@code finished_at} among the newest 1,000 completed jobs (by id, i.e. by submission), which in a
     * FIFO run holds the last completion; null if none.
     */
    Instant lastFinished() {
        JsonNode jobs = client.getJson("/v1/jobs?status=COMPLETED&limit=1000").path("jobs");
        Instant last = null;
        for (JsonNode job : jobs) {
            String finished = job.path("finished_at").asText(null);
            if (finished != null) {
                Instant at = Instant.parse(finished);
                if (last == null || at.isAfter(last)) {
                    last = at;
                }
            }
        }
        return last;
    }

    /**
     * Waits until {@code submitted} says every job is in and none is left unfinished, drawing progress toward {@code total} (terminal jobs beyond {@code baseline}); returns false if {@code deadlineNanos} (System.nanoTime)
     * passes first.
     */
    boolean awaitIdle(
            java.util.function.BooleanSupplier submitted,
            Progress progress,
            long baseline,
            long total,
            long deadlineNanos)
            throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            long ended = ended();
            ended = ended < 0 ? -1 : ended - baseline;
            if (ended >= 0) {
                progress.update(Math.min(total, ended));
            }
            if ((ended < 0 || ended >= total) && submitted.getAsBoolean() && idle()) {
                progress.update(total);
                return true;
            }
            Thread.sleep(ended < 0 ? 20 : 50);
        }
        return false;
    }
}
