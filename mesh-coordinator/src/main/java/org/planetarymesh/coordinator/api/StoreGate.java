package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.planetarymesh.coordinator.leadership.LeadershipView;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.StoreHealth;

/**
 * The API's side of the store-failure rule: while the group-commit writer finds the store down, a request that needs
 * the store is answered 503 with {@code Retry-After} at once rather than queued behind writes that cannot commit, and
 * {@code GET /healthz} says since when. Nothing here touches the store: the writer's last finding is the answer.
 */
final class StoreGate {

    /** What a 503 tells a client to wait before it tries again: about one retry pause of the writer at its longest. */
    static final int RETRY_AFTER_SECONDS = 2;

    /** How long a request waits for its commit at most (the store may go down while it waits: see {@link #await}). */
    static final Duration COMMIT_WAIT = Duration.ofSeconds(30);

    private static final long POLL_MS = 100;

    private final GroupCommitWriter writer;
    private final LeadershipView leadership;

    StoreGate(GroupCommitWriter writer, LeadershipView leadership) {
        this.writer = writer;
        this.leadership = leadership;
    }

    /** Throws the 503 of an unavailable store if the writer last found it down. */
    void requireUp() {
        StoreHealth health = writer.health();
        if (!health.up()) {
            throw unavailable(health, "nothing was done; retry after " + RETRY_AFTER_SECONDS + " s");
        }
    }

    /** {@code GET /healthz}: 200 while the store takes writes, else 503 naming since when it does not. */
    void healthz(Context ctx) {
        StoreHealth health = writer.health();
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("status", health.up() ? "up" : "unavailable");
        if (!health.up()) {
            store.put("since", health.downSince().toString());
            store.put("last_error", health.lastError());
            store.put("waiting_writes", health.waitingWrites());
            ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", health.up() ? "ok" : "unavailable");
        body.put("store", store);
        body.putAll(leadership.health());
        Http.json(ctx, health.up() ? 200 : 503, body);
    }

    /**
     * Waits for {@code future} (a commit, or what follows one) and returns its value. Gives up with a 503 as soon as
     * the store goes down, or after {@link #COMMIT_WAIT}: the write stays queued and will commit when the store is
     * back, which {@code pending} tells the client (e.g. the job id it will have).
     */
    <T> T await(CompletableFuture<T> future, String pending) {
        long deadline = System.nanoTime() + COMMIT_WAIT.toNanos();
        try {
            while (true) {
                try {
                    return future.get(POLL_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    StoreHealth health = writer.health();
                    if (!health.up()) {
                        throw unavailable(health, pending);
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        throw new ApiException(
                                503,
                                "store_unavailable",
                                "the store did not commit within " + COMMIT_WAIT.toSeconds() + " s; " + pending);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "the coordinator is shutting down");
        } catch (ExecutionException e) {
            throw new ApiException(
                    503,
                    "store_unavailable",
                    "the store could not commit the request: " + e.getCause().getMessage());
        }
    }

    private static ApiException unavailable(StoreHealth health, String consequence) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("since", health.downSince().toString());
        details.put("last_error", health.lastError());
        return new ApiException(
                503,
                "store_unavailable",
                "the store has been unavailable since " + health.downSince() + "; " + consequence,
                details);
    }
}
