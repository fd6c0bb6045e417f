package org.planetarymesh.coordinator.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.auth.AdminToken;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.gateway.AgentGateway;
import org.planetarymesh.coordinator.gateway.PushNodes;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's HTTP face: REST API, SSE event streams and the agents' WebSocket, on one Javalin (Jetty 12)
 * server with virtual threads. Every request but {@code /healthz} needs the bearer token; every error is JSON.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String AGENT_PATH = "/v1/agents/connect";
    private static final int MAX_SUBSCRIBERS_PER_JOB = 64;

    private final Javalin app;

    public ApiServer(
            CoordinatorConfig config,
            AdminToken token,
            JobStore store,
            GroupCommitWriter writer,
            Scheduler scheduler,
            JobEventHub hub,
            AgentGateway gateway,
            PushNodes pushNodes) {
        JobsApi jobs = new JobsApi(config, store, writer, scheduler, hub);
        NodesApi nodes = new NodesApi(config, scheduler, pushNodes);
        JobEventStream events = new JobEventStream(store, hub, MAX_SUBSCRIBERS_PER_JOB);
        this.app = Javalin.create(c -> {
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.router.treatMultipleSlashesAsSingleSlash = true;
            c.routes.before(ctx -> authenticate(ctx, token));
            c.routes.wsBeforeUpgrade(AGENT_PATH, ctx -> requireToken(ctx, token));
            c.routes.get("/healthz", ctx -> Http.json(ctx, 200, Map.of("status", "ok")));
            c.routes.post("/v1/jobs", jobs::submit);
            c.routes.post("/v1/jobs/batch", jobs::submitBatch);
            c.routes.get("/v1/jobs", jobs::list);
            c.routes.get("/v1/jobs/{id}", jobs::get);
            c.routes.post("/v1/jobs/{id}/cancel", jobs::cancel);
            c.routes.before("/v1/jobs/{id}/events", ctx -> {
                if (ctx.method().name().equals("GET")) {
                    jobs.requireJob(ctx);
                    events.checkCapacity(ctx.pathParam("id"));
                }
            });
            c.routes.sse("/v1/jobs/{id}/events", events::stream);
            c.routes.post("/jobs", jobs::submit); // seed 001's API
            c.routes.get("/jobs", jobs::list);
            c.routes.get("/v1/nodes", nodes::list);
            c.routes.post("/v1/nodes", nodes::register);
            c.routes.get("/v1/nodes/{id}", nodes::get);
            c.routes.post("/v1/nodes/{id}/drain", nodes::drain);
            c.routes.ws(AGENT_PATH, gateway::configure);
            c.routes.exception(ApiException.class, (e, ctx) -> Http.error(ctx, e));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> Http.error(ctx, translate(e)));
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                Http.error(
                        ctx,
                        new ApiException(
                                500,
                                "internal",
                                "the coordinator failed to handle the request; " + "it has been logged"));
            });
            c.routes.error(404, ctx -> {
                if (ctx.result() == null || !ctx.res().getContentType().startsWith("application/json")) {
                    Http.error(ctx, ApiException.notFound("no route " + ctx.method() + " " + ctx.path()));
                }
            });
            c.routes.error(
                    405,
                    ctx -> Http.error(
                            ctx,
                            new ApiException(
                                    405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path())));
        });
    }

    private static ApiException translate(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 413 -> new ApiException(413, "body_too_large", "the request body is too large");
            case 401 -> new ApiException(401, "unauthorized", e.getMessage());
            case 404 -> ApiException.notFound(e.getMessage());
            default -> new ApiException(e.getStatus(), "http_" + e.getStatus(), e.getMessage());
        };
    }

    private static void authenticate(Context ctx, AdminToken token) {
        if (ctx.path().equals("/healthz") || ctx.path().equals(AGENT_PATH)) {
            return;
        }
        requireToken(ctx, token);
    }

    private static void requireToken(Context ctx, AdminToken token) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(
                    401,
                    "unauthorized",
                    "send 'Authorization: Bearer <token>'; the admin token is in <data-dir>/admin.token");
        }
        if (!token.matches(header.substring(7).strip())) {
            throw new ApiException(401, "unauthorized", "the bearer token is not valid");
        }
    }

    public ApiServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
