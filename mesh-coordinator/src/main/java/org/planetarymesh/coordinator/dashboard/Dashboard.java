package org.planetarymesh.coordinator.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.function.Supplier;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.coordinator.auth.ApiTokens;
import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.coordinator.stats.MeshStats;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.schedule.Schedule;
import org.planetarymesh.store.JobStore;

/**
 * The web dashboard at {@code /} and {@code /ui/...}: server-rendered pages over the coordinator's own state, signed in
 * with a mesh token kept in a cookie ({@link DashboardSession}). Pages only read; every change (submit, cancel, retry,
 * drain) is the page's script calling the REST API itself with the session cookie and its CSRF token, so the API's
 * roles, checks and error messages hold for the browser exactly as for any client.
 */
public final class Dashboard implements AutoCloseable {

    private final ApiTokens tokens;
    private final JobStore store;
    private final Scheduler scheduler;
    private final Supplier<List<Schedule>> schedules;
    private final DashboardSession session;
    private final DashboardStats stats;
    private final LiveFeed live;
    private final Assets assets = new Assets();
    private final AutoCloseable endsSubscription;

    public Dashboard(
            boolean secureCookie,
            ApiTokens tokens,
            JobStore store,
            Scheduler scheduler,
            JobEventHub hub,
            MeshStats meshStats,
            Supplier<List<Schedule>> schedules) {
        this.tokens = tokens;
        this.store = store;
        this.scheduler = scheduler;
        this.schedules = schedules;
        this.session = new DashboardSession(secureCookie);
        this.stats = new DashboardStats(meshStats);
        this.live = new LiveFeed(stats);
        this.endsSubscription = hub.observeEnds(stats::ended);
        live.start();
    }

    /** Whether {@code path} is one of the dashboard's, which sign in by cookie rather than by bearer token. */
    public static boolean handles(String path) {
        return path.equals("/") || path.equals("/ui") || path.startsWith("/ui/");
    }

    /** The session's mesh token on a REST API request from a dashboard page, or null (see {@link DashboardSession}). */
    public String sessionToken(Context ctx) {
        return session.presentedToken(ctx);
    }

    /**
     * Signs a dashboard request in from its cookie. Sign-in and assets need none; a page without a valid cookie is
     * sent to sign in; anything else without one (the live feed, sign-out) is refused with 401.
     */
    public void authenticate(Context ctx) {
        String path = ctx.path();
        if (path.equals("/ui/login") || path.startsWith("/ui/assets/")) {
            return;
        }
        String token = ctx.cookie(DashboardSession.COOKIE);
        Principal principal = token == null ? null : tokens.authenticate(token).orElse(null);
        if (principal == null || principal.role() == Role.AGENT) {
            if (ctx.method().name().equals("GET") && !path.equals("/ui/live")) {
                ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
                ctx.skipRemainingHandlers();
                return;
            }
            throw new ApiException(401, "unauthorized", "sign in to the dashboard first (GET /ui/login)");
        }
        ctx.attribute(Principal.ATTRIBUTE, principal);
        ctx.attribute(VIEWER, new Layout.Viewer(principal, session.csrfToken(token)));
    }

    private static final String VIEWER = "mesh.dashboard.viewer";

    /** Adds the dashboard's routes. */
    public void routes(JavalinConfig c) {
        c.routes.get("/ui/assets/{name}", assets::serve);
        c.routes.get("/ui/login", ctx -> page(ctx, LoginPage.render(null)));
        c.routes.post("/ui/login", this::signIn);
        c.routes.post("/ui/logout", this::signOut);
        c.routes.get("/", ctx -> page(ctx, new OverviewPage(stats).render(viewer(ctx))));
        c.routes.get("/ui", ctx -> ctx.redirect("/", HttpStatus.SEE_OTHER));
        c.routes.get("/ui/live", live::stream);
        c.routes.get("/ui/jobs", ctx -> {
            page(ctx, null);
            new JobsPage(store).render(ctx, viewer(ctx));
        });
        c.routes.get("/ui/jobs/{id}", ctx -> page(ctx, JobPage.render(visibleJob(ctx), nodeNames(), viewer(ctx))));
        c.routes.get("/ui/nodes", ctx -> page(ctx, NodesPage.render(scheduler.nodes(), viewer(ctx))));
        c.routes.get("/ui/schedules", ctx -> page(ctx, SchedulesPage.render(schedules.get(), viewer(ctx))));
        c.routes.get(
                "/ui/routing", ctx -> page(ctx, RoutingPage.render(stats.routing(), scheduler.nodes(), viewer(ctx))));
        c.routes.get("/ui/new", ctx -> page(ctx, WizardPage.render(scheduler.nodes(), viewer(ctx))));
    }

    private void signIn(Context ctx) {
        DashboardSession.requireSameOrigin(ctx);
        String token = ctx.formParam("token");
        token = token == null ? "" : token.strip();
        Principal principal = tokens.authenticate(token).orElse(null);
        String problem = principal == null
                ? "That token is not valid (unknown or revoked)."
                : principal.role() == Role.AGENT
                        ? "An agent token cannot sign in to the dashboard; use a read, submit or admin token."
                        : !token.matches("[A-Za-z0-9._~-]+")
                                ? "This token has characters a cookie cannot hold; make one with 'mesh token create'."
                                : null;
        if (problem != null) {
            ctx.status(401);
            page(ctx, LoginPage.render(problem));
            return;
        }
        session.signIn(ctx, token);
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    private void signOut(Context ctx) {
        Layout.Viewer viewer = viewer(ctx);
        String sent = ctx.formParam("csrf");
        if (sent == null || !sent.equals(viewer.csrf())) {
            throw new ApiException(403, "csrf", "sign out from the dashboard's own button");
        }
        session.signOut(ctx);
        ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
    }

    /** The job in the path, if this viewer may see it (a submit token sees only its own jobs, as in the API). */
    private Job visibleJob(Context ctx) {
        String id = ctx.pathParam("id");
        Job job = JobIds.isValid(id) ? store.find(id).orElse(null) : null;
        if (job == null) {
            throw new ApiException(404, "not_found", "no job with id " + id);
        }
        Principal principal = viewer(ctx).principal();
        if (principal.role() == Role.SUBMIT && !principal.tokenId().equals(job.owner())) {
            throw new ApiException(403, "forbidden", "job " + id + " was submitted with another token");
        }
        return job;
    }

    private java.util.Map<String, String> nodeNames() {
        java.util.Map<String, String> names = new java.util.HashMap<>();
        scheduler.nodes().forEach(n -> {
            if (n.name() != null) {
                names.put(n.id(), n.name());
            }
        });
        return names;
    }

    private static Layout.Viewer viewer(Context ctx) {
        return ctx.attribute(VIEWER);
    }

    /** Sends {@code html} (when not null) with the headers every page carries. */
    private static void page(Context ctx, String html) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header(
                "Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                        + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        if (html != null) {
            ctx.html(html);
        }
    }

    @Override
    public void close() {
        live.close();
        try {
            endsSubscription.close();
        } catch (Exception e) {
            // removing a listener from a set does not fail
        }
    }
}
