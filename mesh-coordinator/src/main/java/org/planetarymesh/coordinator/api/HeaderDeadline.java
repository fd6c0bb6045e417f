package org.planetarymesh.coordinator.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the total time a client may take to send a request's line and headers. Jetty's idle timeout restarts on every
 * byte, so a client sending one header byte a second (slowloris) held a connection, and a thread's worth of state,
 * forever. A sweep every {@link #SWEEP} looks at each connection's parser: one that has been inside a request's
 * headers for longer than the limit is closed. Time between requests on a kept-alive connection does not count (the
 * parser is at its start then), and neither does a body.
 */
final class HeaderDeadline extends AbstractLifeCycle {

    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);
    static final Duration SWEEP = Duration.ofMillis(250);

    private final Server server;
    private final long limitNanos;
    // When each connection was first seen inside a request's headers; only the sweeper thread touches it.
    private Map<HttpConnection, Long> since = new HashMap<>();
    private ScheduledExecutorService sweeper;

    HeaderDeadline(Server server, Duration limit) {
        this.server = server;
        this.limitNanos = limit.toNanos();
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("mesh-header-deadline").factory());
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            Map<HttpConnection, Long> next = new HashMap<>();
            for (Connector connector : server.getConnectors()) {
                for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                    HttpConnection http = httpConnection(endPoint.getConnection());
                    if (http == null || !inHeaders(http.getParser())) {
                        continue;
                    }
                    long started = since.getOrDefault(http, now);
                    if (now - started > limitNanos) {
                        LOG.debug("closing {}: its request headers took longer than the limit", endPoint);
                        endPoint.close(new TimeoutException("request headers not complete within the limit"));
                    } else {
                        next.put(http, started);
                    }
                }
            }
            since = next;
        } catch (RuntimeException e) {
            LOG.warn("header deadline sweep failed", e); // the next sweep tries again
        }
    }

    /** The HTTP/1 connection on {@code connection}, looking through TLS; null for WebSocket and others. */
    private static HttpConnection httpConnection(Connection connection) {
        if (connection instanceof HttpConnection http) {
            return http;
        }
        if (connection instanceof SslConnection ssl) {
            return httpConnection(ssl.getSslEndPoint().getConnection());
        }
        return null;
    }

    /** Inside a request line or its headers: past the first byte of a request, before its body. */
    private static boolean inHeaders(HttpParser parser) {
        return parser.inHeaderState() && !parser.isStart();
    }
}
