package org.planetarymesh.coordinator.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.time.InstantSource;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.auth.ApiTokens;
import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.coordinator.auth.TlsContexts;
import org.planetarymesh.coordinator.dashboard.Dashboard;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.gateway.AgentGateway;
import org.planetarymesh.coordinator.gateway.PushNodes;
import org.planetarymesh.coordinator.leadership.LeadershipView;
import org.planetarymesh.coordinator.market.Market;
import org.planetarymesh.coordinator.market.MarketApi;
import org.planetarymesh.coordinator.openai.ChatCompletions;
import org.planetarymesh.coordinator.openai.OpenAiModels;
import org.planetarymesh.coordinator.retention.JobDeletion;
import org.planetarymesh.coordinator.schedule.ScheduleRunner;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.coordinator.stats.MeshStats;
import org.planetarymesh.coordinator.stats.MetricsEndpoint;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.StoreException;
import org.planetarymesh.store.market.MarketStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's HTTP face: REST API, SSE event streams and the agents' WebSocket, on one Javalin (Jetty 12)
 * server with virtual threads. Every request but {@code /healthz} needs the bearer token; every error is JSON.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String AGENT_PATH = "/v1/agents/connect";
    /** Where the authenticated {@link Principal} of a request is kept, for handlers that need to know who asked. */
    static final String PRINCIPAL = Principal.ATTRIBUTE;
    /** Concurrent {@code GET /v1/events} streams (429 beyond): each costs a virtual thread and a buffer. */
    public static final int MAX_MESH_EVENT_STREAMS = 64;
    /** Longest a client may take to send a request line and headers, however slowly it trickles them. */
    public static final java.time.Duration MAX_HEADER_TIME = java.time.Duration.ofSeconds(10);

    private final Javalin app;
    private final Dashboard dashboard;
    private final Market market;

    /**
     * Jetty's selectors and acceptors on platform threads, everything that may block (requests, SSE, WebSocket
     * callbacks) on virtual threads. Javalin's own virtual-thread pool runs the selectors as virtual threads too, so
     * every readable socket first woke the JDK's poller thread, then a carrier for the selector, then one for the
     * task: a scheduling profile of the latency bench showed that extra wake-up on every frame and request, each a
     * chance to wait a millisecond for a core (docs/adr/0024).
     */
    private static QueuedThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("mesh-jetty");
        pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("mesh-http-"));
        return pool;
    }

    public ApiServer(
            CoordinatorConfig config,
            ApiTokens tokens,
            JobStore store,
            GroupCommitWriter writer,
            Scheduler scheduler,
            JobEventHub hub,
            AgentGateway gateway,
            PushNodes pushNodes,
            ScheduleRunner scheduleRunner,
            MeshStats stats,
            MetricsEndpoint metrics,
            JobDeletion deletion,
            MarketStore marketStore,
            LeadershipView leadership) {
        StoreGate gate = new StoreGate(writer, leadership);
        SchedulesApi schedules = new SchedulesApi(config, scheduleRunner, gate);
        JobsApi jobs = new JobsApi(store, scheduler, gate);
        FinishedJobsApi finished = new FinishedJobsApi(config, jobs, store, scheduler, deletion, gate);
        org.planetarymesh.core.identity.SigningKey coordinatorKey =
                org.planetarymesh.core.identity.SigningKey.loadOrCreate(
                        config.dataDir().resolve("identity").resolve("coordinator.key"));
        ReceiptsApi receipts = new ReceiptsApi(store.receiptLog(), jobs, coordinatorKey);
        SubmitApi submits = new SubmitApi(config, store, writer, scheduler, hub, gate);
        NodesApi nodes = new NodesApi(config, scheduler, pushNodes);
        JobEventStream events = new JobEventStream(store, hub, config.maxSubscribersPerJob());
        MeshEventStream meshEvents = new MeshEventStream(hub, MAX_MESH_EVENT_STREAMS);
        TokensApi tokensApi = new TokensApi(config, tokens);
        JobIntake intake = new JobIntake(writer, scheduler, hub);
        ChatCompletions chat = new ChatCompletions(
                scheduler, hub, intake::storeAndSchedule, config.maxBodyBytes(), config.maxPayloadBytes());
        OpenAiModels models = new OpenAiModels(scheduler);
        BlobsApi blobs = new BlobsApi(new org.planetarymesh.coordinator.blob.BlobStore(
                config.dataDir().resolve("blobs"), config.maxBlobBytes()));
        QueuedJobLimit queued = new QueuedJobLimit(config.maxQueuedJobsPerToken(), config.maxBodyBytes(), store);
        this.market = new Market(
                marketStore, store, intake::storeAndSchedule, hub, coordinatorKey.did(), InstantSource.system());
        MarketApi marketApi = new MarketApi(market, config.maxBodyBytes());
        this.dashboard =
                new Dashboard(config.tls() != null, tokens, store, scheduler, hub, stats, scheduleRunner::list);
        boolean agentsNeedClientCert = config.tls() != null && config.tls().clientCaFile() != null;
        this.app = Javalin.create(c -> {
            c.concurrency.useVirtualThreads = true;
            c.jetty.threadPool = threadPool();
            c.http.maxRequestSize = config.maxBodyBytes();
            // Javalin copies every response through a buffer of this size (32 KB by default, allocated per
            // response); Jetty aggregates the writes into its own pooled buffer either way.
            c.http.responseBufferSize = 4096;
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.jetty.modifyWebSocketServletFactory(f -> f.setMaxTextMessageSize(config.maxFrameBytes()));
            c.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                server.addBean(new HeaderDeadline(server, MAX_HEADER_TIME));
            });
            c.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            if (config.tls() != null) {
                var ssl = TlsContexts.serverFactory(config.tls());
                c.jetty.addConnector((server, http) -> {
                    http.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
                    var connector = new org.eclipse.jetty.server.ServerConnector(
                            server, ssl, new org.eclipse.jetty.server.HttpConnectionFactory(http));
                    connector.setHost(config.host());
                    connector.setPort(config.port());
                    return connector;
                });
            }
            c.router.treatMultipleSlashesAsSingleSlash = true;
            c.http.prefer405over404 = true;
            c.routes.before(RequestIds::assign);
            c.routes.after(RequestIds::clear);
            c.routes.before(ctx -> {
                refuseDeclaredOversize(
                        ctx,
                        ctx.path().equals("/v1/blobs")
                                ? Math.max(config.maxBodyBytes(), config.maxBlobBytes())
                                : config.maxBodyBytes());
                if (Dashboard.handles(ctx.path())) {
                    dashboard.authenticate(ctx);
                } else {
                    authenticate(ctx, tokens, dashboard);
                }
                RequestText.check(ctx);
                if (needsStore(ctx.method().name(), ctx.path())) {
                    gate.requireUp();
                }
            });
            c.routes.wsBeforeUpgrade(AGENT_PATH, ctx -> {
                try {
                    RequestIds.assign(ctx); // the HTTP before-handlers do not run for an upgrade
                    requireRole(ctx, tokens, bearer(ctx), Role.AGENT);
                } catch (ApiException e) {
                    // The agent only sees a failed handshake; the operator of the coordinator should see why.
                    LOG.warn("refused an agent connection from {}: {}", ctx.ip(), e.getMessage());
                    throw e;
                } finally {
                    RequestIds.clear(ctx);
                }
                if (agentsNeedClientCert && clientCertificate(ctx) == null) {
                    throw new ApiException(
                            401,
                            "client_certificate_required",
                            "agents must present a TLS client certificate signed by the coordinator's client CA"
                                    + " (agent options --tls-cert and --tls-key)");
                }
            });
            c.routes.get("/healthz", gate::healthz);
            c.routes.get(
                    "/v1/coordinators",
                    ctx -> Http.json(ctx, 200, java.util.Map.of("coordinators", leadership.coordinators())));
            c.routes.post("/v1/jobs", ctx -> queued.guard(ctx, 1, submits::submit));
            c.routes.post("/v1/jobs/batch", ctx -> queued.guard(ctx, -1, submits::submitBatch));
            c.routes.get("/v1/jobs", jobs::list);
            c.routes.get("/v1/jobs/{id}", jobs::get);
            c.routes.post("/v1/jobs/{id}/cancel", jobs::cancel);
            c.routes.post("/v1/jobs/{id}/retry", finished::retry);
            c.routes.post("/v1/jobs/retry", finished::retryMany);
            c.routes.delete("/v1/jobs/{id}", finished::delete);
            c.routes.get("/v1/jobs/{id}/receipt", receipts::forJob);
            c.routes.get("/v1/receipts", receipts::export);
            c.routes.before("/v1/jobs/{id}/events", ctx -> {
                if (ctx.method().name().equals("GET")) {
                    jobs.requireJob(ctx);
                    events.checkCapacity(ctx.pathParam("id"));
                }
            });
            c.routes.get("/v1/jobs/{id}/events", events::stream);
            c.routes.get("/v1/events", meshEvents::stream);
            c.routes.post("/jobs", ctx -> queued.guard(ctx, 1, submits::submit)); // seed 001's API
            c.routes.get("/jobs", jobs::list);
            c.routes.get("/v1/stats", new StatsApi(stats)::get);
            c.routes.get("/metrics", metrics::scrape);
            c.routes.get("/v1/openapi.json", OpenApiDocument::serve);
            c.routes.get("/v1/nodes", nodes::list);
            c.routes.post("/v1/nodes", nodes::register);
            c.routes.get("/v1/nodes/{id}", nodes::get);
            c.routes.post("/v1/nodes/{id}/drain", nodes::drain);
            c.routes.post("/v1/nodes/{id}/undrain", nodes::undrain);
            c.routes.delete("/v1/nodes/{id}", nodes::remove);
            c.routes.post("/v1/tokens", tokensApi::create);
            c.routes.get("/v1/tokens", tokensApi::list);
            c.routes.delete("/v1/tokens/{id}", tokensApi::revoke);
            c.routes.post("/v1/schedules", schedules::create);
            c.routes.get("/v1/schedules", schedules::list);
            c.routes.get("/v1/schedules/{id}", schedules::get);
            c.routes.delete("/v1/schedules/{id}", schedules::delete);
            c.routes.post("/v1/schedules/{id}/pause", schedules::pause);
            c.routes.post("/v1/schedules/{id}/resume", schedules::resume);
            c.routes.post("/v1/schedules/{id}/run", schedules::run);
            c.routes.post("/v1/chat/completions", chat::handle);
            c.routes.get("/v1/models", models::list);
            c.routes.post("/v1/blobs", blobs::put);
            c.routes.get("/v1/blobs/{id}", blobs::get);
            c.routes.ws(AGENT_PATH, gateway::configure);
            dashboard.routes(c);
            marketApi.routes(c);
            c.routes.exception(ApiException.class, (e, ctx) -> {
                if (e.status() == 413) {
                    // Otherwise Jetty reads (and drops) the rest of the body to keep the connection: the client that
                    // declared 10^12 bytes would wait out the idle timeout for a 408 instead of this answer.
                    ctx.header("Connection", "close");
                }
                Http.error(ctx, challenged(ctx, e));
            });
            c.routes.exception(HttpResponseException.class, (e, ctx) -> Http.error(ctx, challenged(ctx, translate(e))));
            c.routes.exception(StoreException.class, (e, ctx) -> {
                LOG.warn("the store failed on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                Http.error(
                        ctx,
                        new ApiException(
                                503,
                                "store_unavailable",
                                "the store could not answer: " + e.getMessage() + "; retry after "
                                        + StoreGate.RETRY_AFTER_SECONDS + " s"));
            });
            c.routes.exception(Exception.class, (e, ctx) -> {
                if (endedEarly(e)) {
                    Http.error(
                            ctx,
                            ApiException.badRequest("the request body ended before its Content-Length was reached"));
                    return;
                }
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
            c.routes.error(405, ctx -> {
                String allow = allowedMethods(ctx.path());
                ctx.header("Allow", allow);
                Http.error(
                        ctx,
                        new ApiException(
                                405,
                                "method_not_allowed",
                                ctx.method() + " is not allowed on " + ctx.path() + "; use " + allow));
            });
        });
    }

    /**
     * Whether {@code method path} reads or writes the store, and so is refused at once while the store is down: jobs
     * (submit, list, get, cancel, a job's event stream, a chat completion, which is a job), node registration and token changes. Reads are refused too,
     * because the store is then behind what the coordinator decided, and a read would show a job's past. Stats, the
     * node list and the mesh event stream answer from memory.
     */
    static boolean needsStore(String method, String path) {
        if (path.startsWith("/v1/jobs")
                || path.startsWith("/jobs")
                || path.startsWith("/v1/receipts")
                || path.startsWith("/v1/chat/")) {
            return true;
        }
        boolean writes = !method.equals("GET") && !method.equals("HEAD");
        return writes && (path.startsWith("/v1/nodes") || path.startsWith("/v1/tokens"));
    }

    /** The methods {@code path} answers, for a 405's {@code Allow} header, e.g. {@code GET, POST}. */
    private String allowedMethods(String path) {
        var router = app.unsafe.internalRouter;
        return java.util.stream.Stream.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.DELETE)
                .filter(method -> router.hasHttpHandlerEntry(method, path))
                .map(HandlerType::name)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** A 401 names the scheme it wants ({@code WWW-Authenticate: Bearer}), as RFC 6750 asks. */
    private static ApiException challenged(Context ctx, ApiException e) {
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"planetary-mesh\"");
        }
        return e;
    }

    /** 413 at once for a body whose declared length is over the limit, before reading any of it. */
    private static void refuseDeclaredOversize(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw new ApiException(
                    413,
                    "body_too_large",
                    "the request body is larger than " + maxBytes + " bytes (Content-Length: " + declared + ")");
        }
    }

    /** Whether {@code e} comes from a request body the client stopped sending early (its fault, not ours). */
    private static boolean endedEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    private static ApiException translate(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 413 -> new ApiException(413, "body_too_large", "the request body is too large");
            case 401 -> new ApiException(401, "unauthorized", e.getMessage());
            case 404 -> ApiException.notFound(e.getMessage());
            default -> new ApiException(e.getStatus(), "http_" + e.getStatus(), e.getMessage());
        };
    }

    private static void authenticate(Context ctx, ApiTokens tokens, Dashboard dashboard) {
        if (ctx.path().equals("/healthz") || ctx.path().equals(AGENT_PATH)) {
            return;
        }
        String presented = bearer(ctx);
        if (presented == null) {
            presented = dashboard.sessionToken(ctx); // a dashboard page's own call: cookie plus CSRF token
        }
        requireRole(ctx, tokens, presented, requiredRole(ctx.method().name(), ctx.path()));
    }

    /** The token of an {@code Authorization: Bearer} header, or null without one. */
    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        return header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? null
                : header.substring(7).strip();
    }

    /**
     * The weakest role that may call {@code method path}: reading needs {@code read}; submitting and cancelling need
     * {@code submit}; registering, draining, undraining or removing nodes and managing tokens need {@code admin}. Unknown POSTs (404 later)
     * need {@code submit}, so probing for routes needs a real token.
     */
    static Role requiredRole(String method, String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/v1/tokens") || p.startsWith("/v1/tokens/")) {
            return Role.ADMIN;
        }
        if ((p.equals("/v1/nodes") || p.startsWith("/v1/nodes/")) && !method.equals("GET")) {
            return Role.ADMIN;
        }
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return Role.READ;
        }
        return Role.SUBMIT;
    }

    private static void requireRole(Context ctx, ApiTokens tokens, String presented, Role needed) {
        if (presented == null) {
            throw new ApiException(
                    401,
                    "unauthorized",
                    "send 'Authorization: Bearer <token>': the admin token is in <data-dir>/admin.token, and an admin"
                            + " creates others with 'mesh token create --role ROLE'");
        }
        Principal principal = tokens.authenticate(presented)
                .orElseThrow(() -> new ApiException(
                        401,
                        "unauthorized",
                        "the bearer token is not valid (unknown or revoked); ask an admin for a token"
                                + " ('mesh token create --role ROLE')"));
        if (!principal.role().allows(needed) && !agentFetchesBlob(ctx, principal.role())) {
            throw new ApiException(
                    403,
                    "forbidden",
                    ctx.method().name() + " " + ctx.path() + " needs a token with role "
                            + Role.describeNeeded(needed) + "; this token (" + principal.tokenId() + ") has role "
                            + principal.role().id());
        }
        ctx.attribute(PRINCIPAL, principal);
    }

    /** Agents may read blobs (the modules their jobs name) with their own token, and nothing else of the API. */
    private static boolean agentFetchesBlob(Context ctx, Role role) {
        return role == Role.AGENT
                && ctx.method().name().equals("GET")
                && ctx.path().startsWith("/v1/blobs/");
    }

    private static Object clientCertificate(Context ctx) {
        Object certs = ctx.req().getAttribute("jakarta.servlet.request.X509Certificate");
        return certs instanceof Object[] array && array.length > 0 ? certs : null;
    }

    /** Bytes (estimated) the event streams hold for readers that have not taken them yet, across all streams. */
    public static long bufferedEventBytes() {
        return StreamBuffer.totalBytes();
    }

    /**
     * Every route of the REST API the server registers, as {@code METHOD /path} with Javalin's {@code {param}}
     * placeholders; the agent WebSocket is listed as a {@code GET} (its upgrade request). The dashboard's browser pages
     * ({@link Dashboard#handles}) are not part of the REST API and are left out (docs/API.md, "Dashboard").
     * OpenApiDocumentTest compares them with the OpenAPI description.
     */
    public java.util.List<String> routes() {
        var router = app.unsafe.internalRouter;
        java.util.List<String> routes = new java.util.ArrayList<>();
        var methods = java.util.Set.of(
                HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
        for (var entry : router.allHttpHandlers()) {
            if (methods.contains(entry.endpoint.method) && !Dashboard.handles(entry.endpoint.path)) {
                routes.add(entry.endpoint.method.name() + " " + entry.endpoint.path);
            }
        }
        router.allWsHandlers().forEach(ws -> routes.add("GET " + ws.getPath()));
        return routes;
    }

    public ApiServer start() {
        market.start();
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        dashboard.close(); // first: its live streams end instead of holding the server's stop up
        app.stop();
        market.close();
    }
}
