package org.planetarymesh.client;

import java.time.Duration;
import org.planetarymesh.core.net.AgentAddress;

/**
 * How a {@link MeshClient} talks to a coordinator. {@link #of} fills in defaults that suit a CLI and tests: 5 s to
 * connect, 30 s per request (event streams are exempt once they started), and a 500 ms poll interval when
 * {@link MeshClient#await} has to fall back to polling.
 */
public record MeshClientOptions(
        String url, String token, Duration connectTimeout, Duration requestTimeout, Duration pollInterval) {

    public MeshClientOptions {
        url = AgentAddress.normalize(url);
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
        pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
    }

    /** Defaults for everything but where and who. {@code url} may be {@code :7070}, {@code host:7070} or a URL. */
    public static MeshClientOptions of(String url, String token) {
        return new MeshClientOptions(url, token, null, null, null);
    }

    public MeshClientOptions withConnectTimeout(Duration value) {
        return new MeshClientOptions(url, token, value, requestTimeout, pollInterval);
    }

    public MeshClientOptions withRequestTimeout(Duration value) {
        return new MeshClientOptions(url, token, connectTimeout, value, pollInterval);
    }

    public MeshClientOptions withPollInterval(Duration value) {
        return new MeshClientOptions(url, token, connectTimeout, requestTimeout, value);
    }

    @Override
    public String toString() {
        // The token is a credential: keep it out of logs and exception messages.
        return "MeshClientOptions[url=" + url + ", token=" + (token == null ? "none" : "***") + ", connectTimeout="
                + connectTimeout + ", requestTimeout=" + requestTimeout + ", pollInterval=" + pollInterval + "]";
    }
}
