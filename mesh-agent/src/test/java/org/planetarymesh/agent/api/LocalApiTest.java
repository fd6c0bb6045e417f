package org.planetarymesh.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.core.json.Json;

class LocalApiTest {
    private static final String PAGE = "<html>mesh test page</html>";

    @TempDir
    static Path dataDir;

    private static Agent agent;
    private static Javalin site;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "local-api-test-token-0123456789";

    @BeforeAll
    static void start() {
        site = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.routes.get(
                            "/page", ctx -> ctx.contentType("text/html").result(PAGE));
                    config.routes.post("/echo", ctx -> ctx.result("got " + ctx.body()));
                })
                .start("127.0.0.1", 0);
        agent = Agent.start(AgentConfig.builder()
                .name("api-test")
                .maxConcurrent(2)
                .dataDir(dataDir)
                .allowShell(List.of("/bin/sh"))
                .allowHttp(List.of("127.0.0.1"))
                .shutdownGrace(Duration.ZERO)
                .executeToken(TOKEN)
                .build());
    }

    @AfterAll
    static void stop() {
        agent.close();
        site.stop();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(request(body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/execute"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @Test
    void healthzNamesTheNode() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/healthz"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("ok");
        assertThat(json(r).get("node_id").asText()).isEqualTo(agent.nodeId());
    }

    @Test
    void executeEchoReturnsTheResult() throws Exception {
        HttpResponse<String> r = post("{\"job_id\": \"e1\", \"type\": \"echo\", \"payload\": {\"x\": [1, 2]}}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("result")).isEqualTo(Json.mapper().readTree("{\"x\": [1, 2]}"));
        assertThat(body.get("executor").asText()).isEqualTo("echo");
        assertThat(body.get("route_rule").asText()).isEqualTo("exact");
    }

    @Test
    void errorsHaveCodesAndStatuses() throws Exception {
        HttpResponse<String> badJson = post("{not json");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(json(badJson).at("/error/code").asText()).isEqualTo("invalid_json");

        HttpResponse<String> unknown = post("{\"type\": \"teleport\", \"payload\": {}}");
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(json(unknown).at("/error/code").asText()).isEqualTo("unsupported");

        HttpResponse<String> badPayload = post("{\"type\": \"sleep\", \"payload\": {\"ms\": \"soon\"}}");
        assertThat(badPayload.statusCode()).isEqualTo(400);
        assertThat(json(badPayload).at("/error/code").asText()).isEqualTo("invalid_payload");
    }

    @Test
    void shellCommandOffTheAllowListIsRefused() throws Exception {
        HttpResponse<String> r =
                post("{\"type\": \"shell\", \"payload\": {\"command\": [\"rm\", \"-rf\", \"/tmp/x\"]}}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).at("/error/message").asText())
                .contains("not allow-listed")
                .contains("`mesh agent --allow-shell /bin/sh,rm`");
    }

    @Test
    void shellNonZeroExitFailsWithStderrTail() throws Exception {
        HttpResponse<String> r = post(
                "{\"type\": \"shell\", \"payload\": {\"command\": [\"/bin/sh\", \"-c\", \"echo broken >&2; exit 3\"]}}");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("executor_error");
        assertThat(json(r).at("/error/message").asText())
                .contains("exited with code 3")
                .contains("broken");

        HttpResponse<String> ok = post("{\"type\": \"shell\", \"payload\": {\"command\": [\"/bin/sh\", \"-c\","
                + " \"echo $GREETING; pwd\"], \"env\": {\"GREETING\": \"hi\"}}}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).at("/result/exit_code").asInt()).isZero();
        assertThat(json(ok).at("/result/stdout_tail").asText())
                .startsWith("hi\n")
                .contains(dataDir.toString());
    }

    @Test
    void timeoutIsReported() throws Exception {
        HttpResponse<String> r = post("{\"type\": \"sleep\", \"payload\": {\"ms\": 30000}, \"timeout_ms\": 200}");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("timeout");
    }

    @Test
    void oneMoreThanMaxConcurrentIsOutOfCapacity() throws Exception {
        String slow = "{\"type\": \"sleep\", \"payload\": {\"ms\": 1500}}";
        CompletableFuture<HttpResponse<String>> a = HTTP.sendAsync(request(slow), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> b = HTTP.sendAsync(request(slow), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.runningJobs().size() == 2);

        HttpResponse<String> third = post(slow);

        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(json(third).at("/error/code").asText()).isEqualTo("out_of_capacity");
        assertThat(a.get().statusCode()).isEqualTo(200);
        assertThat(b.get().statusCode()).isEqualTo(200);
    }

    @Test
    void httpToAnAllowListedHostWorksAndOthersAreRefused() throws Exception {
        String url = "http://127.0.0.1:" + site.port();
        HttpResponse<String> get = post("{\"type\": \"http\", \"payload\": {\"url\": \"" + url + "/page\"}}");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(json(get).at("/result/status").asInt()).isEqualTo(200);
        assertThat(json(get).at("/result/body").asText()).isEqualTo(PAGE);
        assertThat(json(get).at("/result/headers/content-type").asText()).startsWith("text/html");

        HttpResponse<String> post = post("{\"type\": \"http\", \"payload\": {\"url\": \"" + url
                + "/echo\", \"method\": \"POST\", \"body\": \"ping\"}}");
        assertThat(json(post).at("/result/body").asText()).isEqualTo("got ping");

        HttpResponse<String> saved =
                post("{\"job_id\": \"dl-1\", \"type\": \"http-download\", \"payload\": {\"url\": \"" + url
                        + "/page\", \"save_as\": \"page.html\"}}");
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(json(saved).get("route_rule").asText()).isEqualTo("partial");
        Path file = Path.of(json(saved).at("/result/file").asText());
        assertThat(file).startsWith(dataDir.toAbsolutePath()).hasContent(PAGE);
        String sha = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(PAGE.getBytes(StandardCharsets.UTF_8)));
        assertThat(json(saved).at("/result/sha256").asText()).isEqualTo(sha);

        HttpResponse<String> tooBig =
                post("{\"type\": \"http\", \"payload\": {\"url\": \"" + url + "/page\", \"max_bytes\": 5}}");
        assertThat(json(tooBig).at("/error/message").asText()).contains("larger than max_bytes 5");

        HttpResponse<String> offList =
                post("{\"type\": \"http\", \"payload\": {\"url\": \"http://localhost:" + site.port() + "/page\"}}");
        assertThat(offList.statusCode()).isEqualTo(422);
        assertThat(json(offList).at("/error/message").asText())
                .contains("'localhost' is not on this agent's http allow-list")
                .contains("`mesh agent --allow-http 127.0.0.1,localhost`");
        assertThat(Files.exists(dataDir)).isTrue();
    }
}
