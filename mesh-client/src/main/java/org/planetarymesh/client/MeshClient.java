package org.planetarymesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.node.NodeInfo;

/**
 * The Java SDK of Planetary Mesh: one object per coordinator, thread-safe, speaking the REST API of {@code docs/API.md}
 * with {@code java.net.http} and the project's one JSON mapper, so callers get the same {@link Job}, {@link JobEvent}
 * and {@link NodeInfo} records the coordinator uses.
 *
 * <p>Every failure is a {@link MeshClientException}: a subclass per HTTP error class carrying the API's error code, and
 * {@link MeshUnavailableException} when no answer came. {@link #await} waits on one mesh-wide stream of ended jobs
 * shared by all awaits, else on the job's own event stream, and falls back to polling when no stream can be held, so
 * a proxy that cuts long responses only costs latency.
 */
public final class MeshClient implements AutoCloseable {

    /** How often {@link #await} re-opens a broken event stream before it settles for polling. */
    private static final int STREAM_REOPENS = 3;

    private final MeshClientOptions options;
    private final Transport transport;
    private final ScheduledExecutorService timers;
    private final EndedJobsStream ended;

    private MeshClient(MeshClientOptions options) {
        this.options = options;
        this.transport = new Transport(options);
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().daemon().name("mesh-client-timer").factory());
        // Most timers (await deadlines, connection release guards) are cancelled long before they fire; drop them then.
        timers.setRemoveOnCancelPolicy(true);
        this.timers = timers;
        this.ended = new EndedJobsStream(() -> transport.openStream("/v1/events", 0), timers, options.requestTimeout());
    }

    /** A client of the coordinator at {@code url} ({@code :7070}, {@code host:7070} or a URL) using {@code token}. */
    public static MeshClient connect(String url, String token) {
        return new MeshClient(MeshClientOptions.of(url, token));
    }

    /** A client with explicit timeouts. */
    public static MeshClient connect(MeshClientOptions options) {
        return new MeshClient(options);
    }

    /** The normalised base URL, e.g. {@code http://localhost:7070}. */
    public String baseUrl() {
        return options.url();
    }

    /** The mesh's cron schedules. */
    public MeshSchedules schedules() {
        return new MeshSchedules(transport);
    }

    // ---- jobs

    /** Submits a job; returns it as stored (QUEUED or PENDING). */
    public Job submit(JobSpec spec) {
        return submit(spec, null);
    }

    /**
     * Submits a job at most once per {@code idempotencyKey}: a repeated key returns the job the first call created,
     * so a caller may retry after a lost answer without creating a second job.
     */
    public Job submit(JobSpec spec, String idempotencyKey) {
        return transport.send(submitRequest(spec, idempotencyKey), Job.class);
    }

    /**
     * As {@link #submit(JobSpec, String)}, with the coordinator's warnings about the job (for example that no
     * connected node can run it, so it will wait until one joins).
     */
    public Submission submitWithWarnings(JobSpec spec, String idempotencyKey) {
        JsonNode answer = transport.send(submitRequest(spec, idempotencyKey), JsonNode.class);
        List<String> warnings = new java.util.ArrayList<>();
        answer.path("warnings").forEach(w -> warnings.add(w.asText()));
        return new Submission(transport.convert(answer, transport.type(Job.class)), warnings);
    }

    private HttpRequest.Builder submitRequest(JobSpec spec, String idempotencyKey) {
        HttpRequest.Builder request = transport
                .request("/v1/jobs")
                .header("Content-Type", "application/json")
                .POST(transport.jsonBody(spec));
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    /** Submits many jobs in one request, all or nothing; returns their ids in the order of {@code specs}. */
    public List<String> submitAll(List<JobSpec> specs) {
        JsonNode answer = transport.send(
                transport
                        .request("/v1/jobs/batch")
                        .header("Content-Type", "application/json")
                        .POST(transport.jsonBody(Map.of("jobs", specs))),
                JsonNode.class);
        return transport.convert(answer.path("ids"), transport.listOf(String.class));
    }

    /** The job with this id; {@link NotFoundException} if there is none. */
    public Job get(String id) {
        return transport.send(
                transport.request("/v1/jobs/" + Transport.encode(id)).GET(), Job.class);
    }

    /** One page of jobs matching {@code query}, newest first. */
    public JobPage list(JobQuery query) {
        JsonNode answer = getJson("/v1/jobs" + query.toQueryString());
        List<Job> jobs = transport.convert(answer.path("jobs"), transport.listOf(Job.class));
        String next =
                answer.hasNonNull("next_cursor") ? answer.get("next_cursor").asText() : null;
        return new JobPage(jobs, next);
    }

    /** Cancels a job; returns it, now CANCELLED. {@link ConflictException} if it had already finished. */
    public Job cancel(String id) {
        return transport.send(
                transport
                        .request("/v1/jobs/" + Transport.encode(id) + "/cancel")
                        .POST(HttpRequest.BodyPublishers.noBody()),
                Job.class);
    }

    /**
     * Retries a FAILED, TIMED_OUT or CANCELLED job: the same job, QUEUED again for a new attempt. {@link
     * ConflictException} for a job in another state.
     */
    public Job retry(String id) {
        return transport.send(
                transport
                        .request("/v1/jobs/" + Transport.encode(id) + "/retry")
                        .POST(HttpRequest.BodyPublishers.noBody()),
                Job.class);
    }

    /**
     * Retries up to {@code limit} finished jobs matching the filter (null: any retryable status, any type, any time);
     * see {@link BulkRetry}.
     */
    public BulkRetry retryMany(String status, String type, java.time.Instant since, Integer limit) {
        java.util.Map<String, Object> filter = new java.util.LinkedHashMap<>();
        if (status != null) {
            filter.put("status", status);
        }
        if (type != null) {
            filter.put("type", type);
        }
        if (since != null) {
            filter.put("since", since.toString());
        }
        if (limit != null) {
            filter.put("limit", limit);
        }
        return transport.send(
                transport
                        .request("/v1/jobs/retry")
                        .header("Content-Type", "application/json")
                        .POST(transport.jsonBody(filter)),
                BulkRetry.class);
    }

    /** Deletes a finished job with its events and output; {@link ConflictException} for an unfinished one. */
    public void delete(String id) {
        transport.sendNoContent(
                transport.request("/v1/jobs/" + Transport.encode(id)).DELETE());
    }

    /** The job's events from the first one on, then live ones until its end. */
    public JobEventStream events(String id) {
        return events(id, 0);
    }

    /** The job's events after {@code afterSeq} (0 for all), then live ones until its end. */
    public JobEventStream events(String id, long afterSeq) {
        return openEvents(id, afterSeq, "");
    }

    /**
     * The events recorded so far, without following live ones: the stream ends at the last recorded event, or after
     * {@code end} if the job already finished. Relies on the coordinator honouring {@code ?follow=false}.
     */
    public JobEventStream recordedEvents(String id) {
        return openEvents(id, 0, "?follow=false");
    }

    /**
     * Waits until the job reaches a terminal status and returns it; {@link AwaitTimeoutException} after {@code timeout}.
     * Awaits share one mesh-wide stream of ended jobs ({@code GET /v1/events}), so waiting for a job the coordinator
     * minted after that stream opened costs no request of its own.
     */
    public Job await(String id, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        EndedJobsStream.Watch watch = ended.watch(id);
        if (watch != null) {
            try {
                Job job = awaitEnd(watch, timeout, deadline);
                if (job != null) {
                    return job;
                }
            } finally {
                ended.forget(watch);
            }
        }
        return follow(id, timeout, deadline, event -> {});
    }

    /**
     * Waits like {@link #await(String, Duration)} and hands every event read meanwhile to {@code listener} (progress,
     * output chunks), each once. If the stream cannot be held the job is polled instead, and events stop.
     */
    public Job await(String id, Duration timeout, Consumer<JobEvent> listener) {
        return follow(id, timeout, Instant.now().plus(timeout), listener);
    }

    /** The job once the shared stream brought its end; null if the stream was lost first. */
    private Job awaitEnd(EndedJobsStream.Watch watch, Duration timeout, Instant deadline) {
        if (!watch.covered()) {
            Job now = get(watch.jobId()); // it may have ended before the stream subscribed
            if (now.status().isTerminal()) {
                return now;
            }
        }
        try {
            return watch.ended().get(millisUntil(deadline), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AwaitTimeoutException(watch.jobId(), timeout, lastSeen(watch.jobId()));
        } catch (CancellationException | ExecutionException e) {
            return null; // the stream was lost (a watch is cancelled then, never failed)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshClientException("interrupted", 0, "interrupted while waiting for a job", List.of(), e);
        }
    }

    /** The job as it is now, for a timeout's message; null if the coordinator cannot be reached. */
    private Job lastSeen(String id) {
        try {
            return get(id);
        } catch (MeshUnavailableException e) {
            return null;
        }
    }

    /** Waits on the job's own event stream, re-opened a few times, then by polling. */
    private Job follow(String id, Duration timeout, Instant deadline, Consumer<JobEvent> listener) {
        long afterSeq = 0;
        for (int opened = 0; opened < STREAM_REOPENS && Instant.now().isBefore(deadline); opened++) {
            JobEventStream stream;
            try {
                stream = events(id, afterSeq);
            } catch (MeshUnavailableException e) {
                break;
            }
            ScheduledFuture<?> alarm = timers.schedule(stream::close, millisUntil(deadline), TimeUnit.MILLISECONDS);
            try (stream) {
                while (stream.hasNext()) {
                    listener.accept(stream.next());
                }
                if (stream.ended()) {
                    return get(id);
                }
            } catch (MeshUnavailableException e) {
                afterSeq = stream.lastSeq();
            } finally {
                alarm.cancel(false);
            }
        }
        return poll(id, timeout, deadline);
    }

    private Job poll(String id, Duration timeout, Instant deadline) {
        Job last = null;
        while (true) {
            try {
                last = get(id);
                if (last.status().isTerminal()) {
                    return last;
                }
            } catch (MeshUnavailableException e) {
                // A coordinator restart is exactly what polling should ride out; give up only at the deadline.
            }
            long left = millisUntil(deadline);
            if (left <= 0) {
                throw new AwaitTimeoutException(id, timeout, last);
            }
            sleep(Math.min(left, options.pollInterval().toMillis()));
        }
    }

    // ---- nodes and health

    /** Every node the coordinator knows. */
    public List<NodeInfo> nodes() {
        JsonNode answer = getJson("/v1/nodes");
        return transport.convert(answer.path("nodes"), transport.listOf(NodeInfo.class));
    }

    /** The coordinators sharing the store, and which of them leads ({@code GET /v1/coordinators}). */
    public List<CoordinatorInfo> coordinators() {
        JsonNode answer = getJson("/v1/coordinators");
        return transport.convert(answer.path("coordinators"), transport.listOf(CoordinatorInfo.class));
    }

    /** One node by id; {@link NotFoundException} if unknown. */
    public NodeInfo node(String id) {
        return transport.send(
                transport.request("/v1/nodes/" + Transport.encode(id)).GET(), NodeInfo.class);
    }

    /** Asks a node to finish its jobs and take no more (admin); the node shows {@code DRAINING}. */
    public void drain(String id) {
        transport.send(
                transport
                        .request("/v1/nodes/" + Transport.encode(id) + "/drain")
                        .POST(HttpRequest.BodyPublishers.noBody()),
                JsonNode.class);
    }

    /** Lets a drained node take jobs again (admin); answers the node as it is now. */
    public NodeInfo undrain(String id) {
        return transport.send(
                transport
                        .request("/v1/nodes/" + Transport.encode(id) + "/undrain")
                        .POST(HttpRequest.BodyPublishers.noBody()),
                NodeInfo.class);
    }

    /** Forgets a disconnected or dead node (admin); {@link ConflictException} for a connected one. */
    public void removeNode(String id) {
        transport.sendNoContent(
                transport.request("/v1/nodes/" + Transport.encode(id)).DELETE());
    }

    /** Whether the coordinator answers {@code GET /healthz} with 200. Never throws. */
    public boolean healthy() {
        return transport.healthy();
    }

    /**
     * Stores {@code bytes} in the coordinator's blob store ({@code POST /v1/blobs}); answers their CID ({@code
     * bafkrei...}), by which a {@code wasm} job names its module. Storing the same bytes again changes nothing.
     */
    public String putBlob(byte[] bytes) {
        JsonNode answer = transport.send(
                transport
                        .request("/v1/blobs")
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)),
                JsonNode.class);
        return answer.path("cid").asText();
    }

    /**
     * The raw JSON answer of a GET on {@code path} (e.g. {@code /v1/jobs/ID}), for tools that print what the API said
     * rather than what this SDK's records keep of it.
     */
    public JsonNode getJson(String path) {
        return transport.send(transport.request(path).GET(), JsonNode.class);
    }

    /**
     * Sends {@code method path} with a JSON body (null: none) and extra headers, and answers the raw status, headers
     * and body whatever the status: the marketplace's {@code 402 Payment Required} is an answer a buyer acts on.
     */
    public RawAnswer exchange(String method, String path, String json, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = transport
                .request(path)
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        var answer = transport.sendRaw(request);
        return new RawAnswer(answer.statusCode(), answer.headers().map(), answer.body());
    }

    @Override
    public void close() {
        ended.close();
        timers.shutdownNow();
        transport.close();
    }

    // ---- plumbing

    private JobEventStream openEvents(String id, long afterSeq, String query) {
        return new JobEventStream(
                id,
                transport.openStream("/v1/jobs/" + Transport.encode(id) + "/events" + query, afterSeq),
                afterSeq,
                timers);
    }

    private static long millisUntil(Instant deadline) {
        return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshClientException("interrupted", 0, "interrupted while waiting for a job", List.of(), e);
        }
    }
}
