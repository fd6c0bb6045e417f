package org.planetarymesh.coordinator.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;

/**
 * {@code GET /ui/live}: the overview's live updates, as Server-Sent Events. One thread closes each second's chart point
 * and renders one small summary (counts, rates, the point), whatever the number of viewers or jobs; every open stream
 * sends that same summary. A dashboard therefore costs the mesh one summary a second, never work per job (the
 * per-job cost is {@link DashboardStats#ended}'s few counter increments, paid with or without viewers).
 */
final class LiveFeed implements AutoCloseable {

    /** Open live streams at most (429 beyond): each holds a virtual thread. */
    static final int MAX_STREAMS = 32;
    /** Time between summaries. */
    static final long PERIOD_MILLIS = 1000;

    private final DashboardStats stats;
    private final AtomicInteger open = new AtomicInteger();
    private final Object lock = new Object();
    private final Thread ticker;
    private byte[] latest = "{}".getBytes(StandardCharsets.UTF_8);
    private long version;
    private volatile boolean closed;

    LiveFeed(DashboardStats stats) {
        this.stats = stats;
        this.ticker = Thread.ofPlatform().daemon().name("mesh-dashboard-ticker").unstarted(this::run);
    }

    void start() {
        ticker.start();
    }

    private void run() {
        long next = System.currentTimeMillis() / PERIOD_MILLIS * PERIOD_MILLIS + PERIOD_MILLIS;
        while (!closed) {
            try {
                Thread.sleep(Math.max(1, next - System.currentTimeMillis())); // a timer, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
            DashboardStats.Point point = stats.tick(next / 1000 - 1);
            byte[] summary = render(point);
            synchronized (lock) {
                latest = summary;
                version++;
                lock.notifyAll();
            }
            next += PERIOD_MILLIS;
            long now = System.currentTimeMillis();
            if (next < now) {
                next = now / PERIOD_MILLIS * PERIOD_MILLIS + PERIOD_MILLIS; // slept through ticks: skip them
            }
        }
    }

    private byte[] render(DashboardStats.Point point) {
        Map<JobStatus, Long> counts = stats.statusCounts();
        OverviewPage.Summary summary = OverviewPage.Summary.of(counts);
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Long> byStatus = new LinkedHashMap<>();
        counts.forEach((status, n) -> byStatus.put(status.name(), n));
        body.put("counts", byStatus);
        body.put("total", summary.total());
        body.put("active", summary.active());
        body.put("completion_rate", summary.completionRate());
        body.put("failure_rate", summary.failureRate());
        body.put("point", point);
        body.put("by_type", stats.endsByType());
        body.put("by_scope", stats.endsByScope());
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the live summary", e);
        }
    }

    void stream(Context ctx) throws IOException {
        if (open.incrementAndGet() > MAX_STREAMS) {
            open.decrementAndGet();
            throw new ApiException(
                    429, "too_many_subscribers", MAX_STREAMS + " live dashboards are open; close one and reload");
        }
        try {
            follow(ctx.res());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the browser went away; nothing to clean up but the count
        } finally {
            open.decrementAndGet();
        }
    }

    private void follow(HttpServletResponse res) throws IOException, InterruptedException {
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        OutputStream out = res.getOutputStream();
        out.write("retry: 2000\nevent: history\ndata: ".getBytes(StandardCharsets.UTF_8));
        out.write(Json.mapper().writeValueAsBytes(stats.history()));
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        long seen = -1;
        while (!closed) {
            byte[] summary;
            synchronized (lock) {
                if (version == seen) {
                    lock.wait(15_000);
                }
                summary = version == seen ? null : latest;
                seen = version;
            }
            out.write(
                    (summary == null ? ": keep-alive\n\n" : "event: summary\ndata: ").getBytes(StandardCharsets.UTF_8));
            if (summary != null) {
                out.write(summary);
                out.write("\n\n".getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }
    }

    /** Live streams open now. */
    int openStreams() {
        return open.get();
    }

    @Override
    public void close() {
        closed = true;
        ticker.interrupt();
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
