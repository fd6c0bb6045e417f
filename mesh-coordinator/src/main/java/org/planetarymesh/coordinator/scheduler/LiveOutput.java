package org.planetarymesh.coordinator.scheduler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streamed output handed to a watcher the moment the scheduler accepts a chunk, before it is committed: the fast path
 * of the OpenAI gateway, whose clients wait on every token. Committed chunk events (what {@code mesh logs -f} and
 * {@code GET /v1/jobs/{id}/events} show) follow the group commit as before; waiting for that commit added a commit's
 * latency to every token. A chunk passed here has been fenced by attempt ({@link Reports}), so it is the job's
 * current attempt's output; what a watcher does with it must not block (it runs on the scheduler thread).
 */
public final class LiveOutput {

    /** Receives a job's chunks in order, on the scheduler thread. */
    @FunctionalInterface
    public interface Watcher {
        void chunk(int attempt, long seq, String data);
    }

    private final Map<String, Watcher> watchers = new ConcurrentHashMap<>();

    /** Sends {@code jobId}'s chunks to {@code watcher} from now on (one watcher a job); close the result to stop. */
    public AutoCloseable watch(String jobId, Watcher watcher) {
        if (watchers.putIfAbsent(jobId, watcher) != null) {
            throw new IllegalStateException("job " + jobId + " already has a live watcher");
        }
        return () -> watchers.remove(jobId, watcher);
    }

    void chunk(String jobId, int attempt, long seq, String data) {
        if (watchers.isEmpty()) {
            return;
        }
        Watcher watcher = watchers.get(jobId);
        if (watcher != null) {
            watcher.chunk(attempt, seq, data);
        }
    }
}
