package org.planetarymesh.coordinator.leadership;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.auth.ApiTokens;
import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.coordinator.auth.TlsContexts;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.StoreException;

/**
 * What a standby coordinator serves on its port until it takes over: {@code GET /healthz} (role {@code standby} and
 * the leader's URL), {@code GET /v1/coordinators} and {@code GET /v1/jobs/{id}} read from the store. Every other
 * request, agent connections included, is redirected to the leader with {@code 307} (method and body kept) and the
 * leader's URL in {@code X-Mesh-Leader}; without a known leader (a takeover under way, the database down) it is
 * answered {@code 503 not_leader} with {@code Retry-After}. Why redirect and not forward: docs/adr/0090.
 */
public final class StandbyServer implements AutoCloseable {

    /** The header naming the leader's base URL on every answer of a standby. */
    public static final String LEADER_HEADER = "X-Mesh-Leader";

    private final Javalin app;

    private StandbyServer(Javalin app) {
        this.app = app;
    }

    /** Starts serving on the configured host and port. */
    public static StandbyServer start(
            CoordinatorConfig config, Leadership leadership, ApiTokens tokens, JobStore store) {
        Javalin app = Javalin.create(c -> {
            c.concurrency.useVirtualThreads = true;
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
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
            c.routes.before(ctx -> {
                String leader = leadership.leaderUrl();
                if (leader != null) {
                    ctx.header(LEADER_HEADER, leader);
                }
                if (!served(ctx)) {
                    throw new Refusal(notLeader(ctx, leader));
                }
                if (!ctx.path().equals("/healthz")) {
                    authenticate(ctx, tokens);
                }
            });
            c.routes.get("/healthz", ctx -> {
                Map<String, Object> body = new LinkedHashMap<>();
                boolean up = leadership.databaseUp();
                body.put("status", up ? "ok" : "unavailable");
                body.put("store", Map.of("status", up ? "up" : "unavailable"));
                body.putAll(leadership.health());
                if (!up) {
                    ctx.header("Retry-After", "2");
                }
                json(ctx, up ? 200 : 503, body);
            });
            c.routes.get("/v1/coordinators", ctx -> json(ctx, 200, Map.of("coordinators", leadership.members())));
            c.routes.get("/v1/jobs/{id}", ctx -> job(ctx, store));
            c.routes.exception(Refusal.class, (e, ctx) -> e.answer.write(ctx));
            c.routes.exception(
                    StoreException.class,
                    (e, ctx) -> new Answer(
                                    503, "store_unavailable", "the store could not answer: " + e.getMessage(), null)
                            .write(ctx));
        });
        app.start();
        return new StandbyServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private static boolean served(Context ctx) {
        String method = ctx.method().name();
        String path = ctx.path();
        return method.equals("GET")
                && (path.equals("/healthz")
                        || path.equals("/v1/coordinators")
                        || (path.startsWith("/v1/jobs/") && path.indexOf('/', "/v1/jobs/".length()) < 0));
    }

    private static Answer notLeader(Context ctx, String leader) {
        if (leader == null) {
            return new Answer(
                    503,
                    "not_leader",
                    "this coordinator is a standby and no leader is known yet (a takeover takes a few seconds);"
                            + " retry, or use another coordinator",
                    null);
        }
        String query = ctx.queryString();
        String location = leader + ctx.path() + (query == null ? "" : "?" + query);
        return new Answer(
                307,
                "not_leader",
                "this coordinator is a standby; send " + ctx.method().name() + " " + ctx.path() + " to the leader at "
                        + leader,
                location);
    }

    private static void authenticate(Context ctx, ApiTokens tokens) {
        String header = ctx.header("Authorization");
        String presented = header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? null
                : header.substring(7).strip();
        Optional<Principal> principal = presented == null ? Optional.empty() : tokens.authenticate(presented);
        if (principal.isEmpty()) {
            throw new Refusal(
                    new Answer(401, "unauthorized", "send 'Authorization: Bearer <token>' with a valid token", null));
        }
        if (!principal.get().role().allows(Role.READ)) {
            throw new Refusal(
                    new Answer(403, "forbidden", "GET " + ctx.path() + " needs a token with role read or above", null));
        }
        ctx.attribute("mesh.principal", principal.get());
    }

    private static void job(Context ctx, JobStore store) {
        String id = ctx.pathParam("id");
        Optional<Job> job = id.length() > 64 ? Optional.empty() : store.find(id);
        Principal principal = ctx.attribute("mesh.principal");
        if (job.isEmpty()) {
            new Answer(404, "not_found", "no job with id " + id, null).write(ctx);
            return;
        }
        if (principal != null
                && principal.role() == Role.SUBMIT
                && !principal.tokenId().equals(job.get().owner())) {
            new Answer(
                            403,
                            "forbidden",
                            "job " + id + " was submitted with another token; a token with role submit sees only its"
                                    + " own jobs",
                            null)
                    .write(ctx);
            return;
        }
        json(ctx, 200, job.get());
    }

    private static void json(Context ctx, int status, Object value) {
        try {
            ctx.status(status)
                    .contentType("application/json")
                    .result(Json.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render response", e);
        }
    }

    /** An error answer, with the redirect's target when there is one. */
    private record Answer(int status, String code, String message, String location) {
        void write(Context ctx) {
            if (location != null) {
                ctx.header("Location", location);
            }
            if (status == 503) {
                ctx.header("Retry-After", "1");
            }
            json(ctx, status, Map.of("error", Map.of("code", code, "message", message)));
        }
    }

    /** Ends a request with {@link Answer} before any handler runs. */
    private static final class Refusal extends RuntimeException {
        private final transient Answer answer;

        Refusal(Answer answer) {
            super(answer.message(), null, false, false);
            this.answer = answer;
        }
    }
}
