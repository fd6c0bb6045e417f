package org.planetarymesh.coordinator.dashboard;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.planetarymesh.coordinator.api.ApiException;

/**
 * {@code GET /ui/assets/{name}}: the dashboard's scripts and styles, from the class path: its own under
 * {@code dashboard/} and the libraries' from their WebJars (htmx, uPlot; versions as the jars on the class path say).
 * Only the names listed here are served; each is read once and cached by browsers for a day.
 */
final class Assets {

    private static final Map<String, String> PATHS = Map.of(
            "htmx.min.js", webjar("htmx.org", "dist/htmx.min.js"),
            "uPlot.iife.min.js", webjar("uplot", "dist/uPlot.iife.min.js"),
            "uPlot.min.css", webjar("uplot", "dist/uPlot.min.css"),
            "dashboard.css", "dashboard/dashboard.css",
            "dashboard.js", "dashboard/dashboard.js",
            "overview.js", "dashboard/overview.js",
            "job.js", "dashboard/job.js",
            "wizard.js", "dashboard/wizard.js");

    private final Map<String, byte[]> bodies = new java.util.concurrent.ConcurrentHashMap<>();

    void serve(Context ctx) {
        String name = ctx.pathParam("name");
        String path = PATHS.get(name);
        if (path == null) {
            throw new ApiException(404, "not_found", "no dashboard asset " + name);
        }
        byte[] body = bodies.computeIfAbsent(name, n -> read(path));
        ctx.header("Cache-Control", "private, max-age=86400");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
        ctx.result(body);
    }

    /** Every listed asset, read, so a missing WebJar fails a test rather than a browser. */
    static Map<String, String> paths() {
        return PATHS;
    }

    static byte[] read(String path) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("dashboard asset " + path + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a WebJar keeps {@code file}: {@code META-INF/resources/webjars/<name>/<version>/<file>}. */
    private static String webjar(String name, String file) {
        String properties = "META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
        Properties p = new Properties();
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(properties)) {
            if (in == null) {
                throw new IllegalStateException("the WebJar org.webjars.npm:" + name + " is not on the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "META-INF/resources/webjars/" + name + "/" + p.getProperty("version") + "/" + file;
    }
}
