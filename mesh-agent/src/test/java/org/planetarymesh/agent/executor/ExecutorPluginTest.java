package org.planetarymesh.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.testkit.plugin.PluginJar;

/** A user's executor, compiled and jarred here, is picked up from the class path with ServiceLoader. */
class ExecutorPluginTest {
    private static final String SOURCE = """
            package com.example;

            import org.planetarymesh.agent.executor.*;

            public final class ShoutExecutor implements Executor {
                public String name() { return "shout"; }

                public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) throws Exception {
                    String text = request.payload().path("text").asText();
                    context.emit("stdout", text);
                    return ExecutionResult.of(com.fasterxml.jackson.databind.node.TextNode.valueOf(text.toUpperCase()));
                }
            }
            """;

    @TempDir
    Path tmp;

    private Path buildJar() throws Exception {
        return PluginJar.build(
                tmp,
                "com.example.ShoutExecutor",
                SOURCE,
                System.getProperty("java.class.path"),
                Executor.class.getName());
    }

    @Test
    void executorInADroppedInJarBecomesAJobType() throws Exception {
        Path jar = buildJar();
        try (URLClassLoader loader = new URLClassLoader(
                        new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
                Agent agent = Agent.start(
                        AgentConfig.builder()
                                .dataDir(tmp.resolve("data"))
                                .shutdownGrace(Duration.ZERO)
                                .build(),
                        loader)) {
            assertThat(agent.executors()).contains("shout", "echo");

            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/execute"))
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"type\": \"shout-it\", \"payload\": {\"text\": \"hello mesh\"}}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            JsonNode body = Json.mapper().readTree(r.body());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(body.get("result").asText()).isEqualTo("HELLO MESH");
            assertThat(body.get("executor").asText()).isEqualTo("shout");
            assertThat(body.get("route_rule").asText()).isEqualTo("partial");
        }
        try (Agent without = Agent.start(
                AgentConfig.builder().dataDir(tmp.resolve("data2")).httpPort(-1).build())) {
            assertThat(without.executors())
                    .as("not on the class path, not installed")
                    .doesNotContain("shout")
                    .containsAll(List.of("echo", "sleep", "shell", "http"));
        }
    }
}
