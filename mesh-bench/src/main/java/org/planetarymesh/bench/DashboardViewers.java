package org.planetarymesh.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open dashboards during a bench run ({@code --dashboards N}): each loads the overview once and then follows its live
 * feed ({@code /ui/live}) signed in by the session cookie, as a browser tab on the dashboard does, so the run's figures
 * include what an open dashboard costs the mesh.
 */
final class DashboardViewers implements AutoCloseable {

    private final List<InputStream> streams = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final AtomicLong summaries = new AtomicLong();

    private DashboardViewers() {}

    static DashboardViewers open(String url, String token, int count) throws IOException, InterruptedException {
        DashboardViewers viewers = new DashboardViewers();
        if (count <= 0) {
            return viewers;
        }
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> overview = http.send(request(url + "/", token), HttpResponse.BodyHandlers.ofString());
            if (overview.statusCode() != 200) {
                viewers.close();
                throw new IllegalStateException(
                        "the dashboard at " + url + "/ answered " + overview.statusCode() + " to the bench's token");
            }
            HttpResponse<InputStream> live =
                    http.send(request(url + "/ui/live", token), HttpResponse.BodyHandlers.ofInputStream());
            viewers.streams.add(live.body());
            viewers.readers.add(Thread.ofVirtual().name("bench-dashboard-" + i).start(() -> viewers.read(live.body())));
        }
        return viewers;
    }

    private static HttpRequest request(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Cookie", "mesh_session=" + token)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private void read(InputStream body) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.equals("event: summary")) {
                    summaries.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // closed at the end of the run
        }
    }

    /** Live summaries the dashboards received so far (about one a second each). */
    long summaries() {
        return summaries.get();
    }

    @Override
    public void close() {
        for (InputStream stream : streams) {
            try {
                stream.close();
            } catch (IOException e) {
                // already closed
            }
        }
        readers.forEach(Thread::interrupt);
    }
}
