package org.planetarymesh.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.core.json.Json;

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
        Path src = Files.createDirectories(tmp.resolve("src/com/example"));
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(src.resolve("ShoutExecutor.java"), SOURCE);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int rc = compiler.run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                src.resolve("ShoutExecutor.java").toString());
        assertThat(rc).as("user executor compiles").isZero();
        Path jar = tmp.resolve("shout.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("com/example/ShoutExecutor.class"));
            Files.copy(classes.resolve("com/example/ShoutExecutor.class"), (OutputStream) out);
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/services/" + Executor.class.getName()));
            out.write("com.example.ShoutExecutor\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
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
