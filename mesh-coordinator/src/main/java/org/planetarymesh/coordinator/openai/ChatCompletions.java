package org.planetarymesh.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.coordinator.api.Http;
import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.job.Backoff;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.RetryPolicy;

/**
 * {@code POST /v1/chat/completions}: an OpenAI chat request becomes an ordinary {@code inference} job (stored, placed,
 * listed by {@code mesh jobs}, with routing and attempts), whose streamed text comes back as OpenAI's chunks
 * ({@link StreamedAnswer}) or, without {@code stream}, as one {@code chat.completion} ({@link WholeAnswer}).
 *
 * <p>The job is tried once: a second attempt would repeat text the client already has. An {@code out_of_capacity}
 * refusal uses no attempt, so the job waits for a slot as any job does; if every node serving the model is full when
 * the request arrives it is answered 429 at once instead.
 */
public final class ChatCompletions {

    /** Longest an inference job may run, from its request; the agent answers {@code backend_timeout} past it. */
    static final Duration DEADLINE = Duration.ofMinutes(10);

    private final Scheduler scheduler;
    private final JobEventHub hub;
    private final Function<List<Job>, ? extends CompletableFuture<?>> intake;
    private final long maxBodyBytes;
    private final long maxPayloadBytes;

    /**
     * @param intake stores jobs and hands them to the scheduler, as {@code POST /v1/jobs} does; the future completes
     *     once they are durable
     */
    public ChatCompletions(
            Scheduler scheduler,
            JobEventHub hub,
            Function<List<Job>, ? extends CompletableFuture<?>> intake,
            long maxBodyBytes,
            long maxPayloadBytes) {
        this.scheduler = scheduler;
        this.hub = hub;
        this.intake = intake;
        this.maxBodyBytes = maxBodyBytes;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public void handle(Context ctx) throws Exception {
        ChatRequest request = ChatRequest.parse(Http.jsonBody(ctx, maxBodyBytes));
        long size = Http.body(ctx, maxBodyBytes).length;
        if (size > maxPayloadBytes) {
            throw new ApiException(
                    413,
                    "payload_too_large",
                    "the chat request is " + size + " bytes; an inference job's payload may be at most "
                            + maxPayloadBytes + " bytes");
        }
        ModelCatalog.of(scheduler.nodes()).requireRoomFor(request.model());
        Instant now = Instant.now();
        Job job = Job.submitted(JobIds.next(), spec(request, now), owner(ctx), now);
        try (ChatRelay relay = new ChatRelay(scheduler.liveOutput(), hub, job.id())) {
            intake.apply(List.of(job)).whenComplete((stored, error) -> {
                if (error != null) {
                    relay.fail(new ApiException(
                            503,
                            "store_unavailable",
                            "the job could not be stored: " + error.getMessage() + "; retry the request"));
                }
            });
            ctx.header("X-Mesh-Job-Id", job.id());
            if (request.stream()) {
                new StreamedAnswer(ctx, request, job, relay, this::cancel).run();
            } else {
                new WholeAnswer(ctx, request, job, relay, this::cancel).run(DEADLINE.plusSeconds(30));
            }
        }
    }

    private void cancel(String jobId) {
        scheduler.cancel(jobId);
    }

    private static JobSpec spec(ChatRequest request, Instant now) {
        return JobSpec.of("inference", request.body())
                .withRequirements(new Requirements(List.of(), null, null, request.model()))
                .withRetry(new RetryPolicy(1, Backoff.DEFAULT))
                .withDeadline(now.plus(DEADLINE));
    }

    private static String owner(Context ctx) {
        Principal principal = ctx.attribute(Principal.ATTRIBUTE);
        return principal == null ? null : principal.tokenId();
    }

    /** The usage object of a job's result, or null. */
    static JsonNode usage(JsonNode result) {
        JsonNode usage = result == null ? null : result.get("usage");
        return usage != null && usage.isObject() ? usage : null;
    }

    /** Why the choice ended, as the backend said ({@code stop} when it said nothing). */
    static String finishReason(JsonNode result) {
        JsonNode reason = result == null ? null : result.get("finish_reason");
        return reason != null && reason.isTextual() ? reason.asText() : "stop";
    }
}
