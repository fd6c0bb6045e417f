package org.planetarymesh.coordinator.stats;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;

/**
 * {@code GET /metrics}: the registry in Prometheus's text exposition format, or OpenMetrics when the scraper asks for
 * it. Authentication is the caller's (the coordinator requires a {@code read} token, the agent its metrics token).
 */
public final class MetricsEndpoint {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** Writes the scrape. */
    public void scrape(Context ctx) throws IOException {
        String accept = ctx.header("Accept");
        String type =
                accept != null && accept.contains("application/openmetrics-text") ? OPEN_METRICS : PROMETHEUS_TEXT;
        ctx.status(200).contentType(type);
        registry.scrape(ctx.outputStream(), type);
    }
}
