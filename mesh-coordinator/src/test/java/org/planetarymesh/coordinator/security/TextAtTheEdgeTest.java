package org.planetarymesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.security.Fixture.Response;
import org.planetarymesh.testkit.db.PostgresServer;

/**
 * Every string a request carries is checked at the edge, on a real PostgreSQL server (whose text cannot hold U+0000):
 * a NUL or a broken character in a body field, a query parameter or a path segment is a 400 naming it, never a 500
 * from the store, and the coordinator keeps serving.
 */
class TextAtTheEdgeTest {

    @TempDir
    Path dir;

    private Coordinator c;

    @BeforeEach
    void start() {
        c = Fixture.start(dir, cfg -> cfg.withDatabaseUrl(PostgresServer.freshDatabaseUrl()));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private Response call(String method, String path, String body) throws Exception {
        return Fixture.call(c, method, path, body, c.adminToken());
    }

    private static void assertRefused(Response r, String field, String problem) {
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().at("/error/code").asText()).as(r.raw()).isEqualTo("invalid_string");
        assertThat(r.body().at("/error/details/0/field").asText()).isEqualTo(field);
        assertThat(r.body().at("/error/message").asText()).contains(problem);
    }

    /** The whole answer to exactly these bytes ({@code Host} and {@code Connection: close} added). */
    private String rawAnswer(String head, String body) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", c.port()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aNulInABodyFieldIsA400NamingIt() throws Exception {
        assertRefused(
                call("POST", "/v1/jobs", "{\"type\":\"echo\",\"idempotency_key\":\"a\\u0000b\"}"),
                "idempotency_key",
                "U+0000");
        assertRefused(call("POST", "/v1/jobs", "{\"type\":\"ech\\u0000o\"}"), "type", "U+0000");
        assertRefused(
                call(
                        "POST",
                        "/v1/jobs/batch",
                        "{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"echo\",\"labels\":{\"a\":\"\\u0000\"}}]}"),
                "jobs[1].labels.a",
                "U+0000");
        assertRefused(call("POST", "/v1/tokens", "{\"role\":\"read\",\"name\":\"ops\\u0000\"}"), "name", "U+0000");
        assertRefused(
                call(
                        "POST",
                        "/v1/nodes",
                        "{\"name\":\"n\\u0000\",\"address\":\"http://127.0.0.1:9\",\"capabilities\":[\"echo\"]}"),
                "name",
                "U+0000");
        assertThat(call("GET", "/v1/jobs", null).body().get("jobs")).isEmpty();
        // The same requests without the NUL are stored: PostgreSQL was the one refusing before.
        assertThat(call("POST", "/v1/jobs", "{\"type\":\"echo\",\"idempotency_key\":\"ab\"}")
                        .status())
                .isEqualTo(201);
        assertThat(call("POST", "/v1/tokens", "{\"role\":\"read\",\"name\":\"ops\"}")
                        .status())
                .isEqualTo(201);
    }

    @Test
    void aNulOrBrokenCharacterInTheQueryIsA400NamingTheParameter() throws Exception {
        assertRefused(call("GET", "/v1/jobs?type=%00", null), "type", "U+0000");
        assertRefused(call("GET", "/v1/jobs?node=a%00b", null), "node", "U+0000");
        assertRefused(call("GET", "/v1/jobs?limit=5&type=%C0%AF", null), "type", "not valid UTF-8 at byte 0");
        assertRefused(call("GET", "/v1/jobs?type=%ED%A0%80", null), "type", "not valid UTF-8");
        assertThat(rawAnswer("GET /v1/jobs?type=%zz HTTP/1.1\r\nAuthorization: Bearer " + c.adminToken(), ""))
                .startsWith("HTTP/1.1 400")
                .contains("query parameter 'type' has a '%' not followed by two hex digits");
        assertRefused(call("GET", "/v1/jobs?ty%00pe=echo", null), "query", "U+0000");
        // Well-formed filters still work on PostgreSQL, including text that is not ASCII.
        assertThat(call("GET", "/v1/jobs?type=echo&node=a+b", null).status()).isEqualTo(200);
        assertThat(call("GET", "/v1/jobs?type=%C3%A9t%C3%A9", null).status()).isEqualTo(200);
    }

    @Test
    void aNulInThePathIsA400() throws Exception {
        for (String path : new String[] {"/v1/nodes/a%00b", "/v1/jobs/a%00b", "/v1/nodes/%C0%AF"}) {
            Response r = call("GET", path, null);
            assertThat(r.status()).as(path + " " + r.raw()).isEqualTo(400);
        }
        Response revoke = call("DELETE", "/v1/tokens/a%00b", null);
        assertThat(revoke.status()).as(revoke.raw()).isEqualTo(400);
        assertThat(call("GET", "/v1/nodes", null).status()).isEqualTo(200);
    }

    @Test
    void aNulInTheIdempotencyKeyHeaderIsRefused() throws Exception {
        String body = "{\"type\":\"echo\"}";
        String head = "POST /v1/jobs HTTP/1.1\r\nAuthorization: Bearer " + c.adminToken()
                + "\r\nContent-Type: application/json\r\nIdempotency-Key: a\u0000b\r\nContent-Length: " + body.length();
        assertThat(rawAnswer(head, body)).startsWith("HTTP/1.1 400");
        assertThat(call("GET", "/v1/jobs", null).body().get("jobs")).isEmpty();
    }
}
