package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.blob.Cid;
import org.planetarymesh.core.json.Json;

/** {@code POST /v1/blobs} and {@code GET /v1/blobs/{cid}} on a real coordinator: CIDs, dedup, limits, durability. */
class BlobsTest {
    @TempDir
    Path dir;

    private static HttpResponse<byte[]> send(Coordinator c, HttpRequest.Builder request, String token)
            throws Exception {
        return TestCoordinator.HTTP.send(
                request.header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> put(Coordinator c, byte[] bytes, String token) throws Exception {
        return send(
                c,
                HttpRequest.newBuilder(URI.create(c.url() + "/v1/blobs"))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)),
                token);
    }

    private static HttpResponse<byte[]> get(Coordinator c, String cid, String token) throws Exception {
        return send(
                c,
                HttpRequest.newBuilder(URI.create(c.url() + "/v1/blobs/" + cid)).GET(),
                token);
    }

    @Test
    void storesOnceAnswersTheCidAndServesTheBytesAfterARestart() throws Exception {
        byte[] hello = "hello world".getBytes(StandardCharsets.UTF_8);
        String expected = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
        try (Coordinator c = TestCoordinator.start(dir)) {
            var first = put(c, hello, c.adminToken());
            assertThat(first.statusCode()).isEqualTo(201);
            var body = Json.mapper().readTree(first.body());
            assertThat(body.path("cid").asText()).isEqualTo(expected);
            assertThat(body.path("size").asLong()).isEqualTo(hello.length);
            var again = put(c, hello, c.adminToken());
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(again.body()).path("created").asBoolean())
                    .isFalse();
            try (var files = Files.list(dir.resolve("blobs"))) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly(expected);
            }
        }
        try (Coordinator c = TestCoordinator.start(dir)) {
            var read = get(c, expected, c.adminToken());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo(hello);
            assertThat(get(c, Cid.of(new byte[] {1}).text(), c.adminToken()).statusCode())
                    .isEqualTo(404);
            var bad = get(c, "..%2Fadmin.token", c.adminToken());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(new String(bad.body(), StandardCharsets.UTF_8)).contains("invalid_cid");
        }
    }

    @Test
    void refusesABlobOverTheLimit() throws Exception {
        try (Coordinator c = TestCoordinator.start(dir, cfg -> cfg.withMaxBlobBytes(1_000))) {
            var answer = put(c, new byte[1_001], c.adminToken());
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(put(c, new byte[1_000], c.adminToken()).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void anAgentTokenMayReadBlobsButNotStoreThem() throws Exception {
        try (Coordinator c = TestCoordinator.start(dir)) {
            var created = TestCoordinator.post(c, "/v1/tokens", "{\"role\": \"agent\", \"name\": \"a\"}");
            String agent = created.body().path("token").asText();
            String cid = Json.mapper()
                    .readTree(put(c, new byte[] {1, 2, 3}, c.adminToken()).body())
                    .path("cid")
                    .asText();
            assertThat(get(c, cid, agent).body()).containsExactly(1, 2, 3);
            assertThat(put(c, new byte[] {4}, agent).statusCode()).isEqualTo(403);
        }
    }
}
