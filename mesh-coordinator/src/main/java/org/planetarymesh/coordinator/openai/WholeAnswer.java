package org.planetarymesh.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.function.Consumer;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.coordinator.api.Http;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;

/** A chat answer without {@code stream}: one {@code chat.completion} once the job completed, or its error. */
final class WholeAnswer {

    private final Context ctx;
    private final ChatRequest request;
    private final Job job;
    private final ChatRelay relay;
    private final Consumer<String> cancel;

    WholeAnswer(Context ctx, ChatRequest request, Job job, ChatRelay relay, Consumer<String> cancel) {
        this.ctx = ctx;
        this.request = request;
        this.job = job;
        this.relay = relay;
        this.cancel = cancel;
    }

    void run(Duration maxWait) throws InterruptedException {
        StringBuilder text = new StringBuilder();
        long until = System.nanoTime() + maxWait.toNanos();
        while (true) {
            long left = (until - System.nanoTime()) / 1_000_000;
            ChatRelay.Event event = left > 0 ? relay.next(left) : null;
            switch (event) {
                case null -> {
                    cancel.accept(job.id());
                    throw new ApiException(
                            504, "timeout", "inference job " + job.id() + " did not end within " + maxWait);
                }
                case ChatRelay.Event.Delta delta -> text.append(delta.text());
                case ChatRelay.Event.Failed failed -> {
                    cancel.accept(job.id());
                    throw failed.why();
                }
                case ChatRelay.Event.Ended ended -> {
                    answer(ended.end(), text);
                    return;
                }
            }
        }
    }

    private void answer(JobEvent end, StringBuilder streamed) {
        if (end.status() != JobStatus.COMPLETED) {
            throw OpenAiError.forEnded(job.id(), end.status(), end.error());
        }
        JsonNode result = end.result();
        JsonNode content = result == null ? null : result.get("content");
        ObjectNode completion = Json.mapper().createObjectNode();
        completion.put("id", "chatcmpl-" + job.id());
        completion.put("object", "chat.completion");
        completion.put("created", job.createdAt().getEpochSecond());
        completion.put("model", request.model());
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message")
                .put("role", "assistant")
                .put("content", content != null && content.isTextual() ? content.asText() : streamed.toString());
        choice.putNull("logprobs");
        choice.put("finish_reason", ChatCompletions.finishReason(result));
        completion.set("usage", usageOrZero(result));
        Http.json(ctx, 200, completion);
    }

    /** The job's usage, or zero counts when the backend reported none. */
    static JsonNode usageOrZero(JsonNode result) {
        JsonNode usage = ChatCompletions.usage(result);
        if (usage != null) {
            return usage;
        }
        ObjectNode zero = Json.mapper().createObjectNode();
        zero.put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 0);
        return zero;
    }
}
