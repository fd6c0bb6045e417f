package org.planetarymesh.coordinator.openai;

import io.javalin.http.Context;
import org.planetarymesh.coordinator.api.Http;
import org.planetarymesh.coordinator.scheduler.Scheduler;

/** {@code GET /v1/models}: every model a healthy node serves, in OpenAI's list shape plus who serves it. */
public final class OpenAiModels {

    private final Scheduler scheduler;

    public OpenAiModels(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    public void list(Context ctx) {
        Http.json(ctx, 200, ModelCatalog.of(scheduler.nodes()).list());
    }
}
