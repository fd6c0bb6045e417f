package org.planetarymesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.planetarymesh.client.MeshClientException;
import org.planetarymesh.client.MeshClientOptions;
import org.planetarymesh.client.MeshUnavailableException;
import org.planetarymesh.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mesh token create|list|revoke}: manage API tokens (needs an admin token). */
@Command(
        name = "token",
        description = "Create, list and revoke API tokens (roles: admin, submit, read, agent). Needs an admin token.",
        subcommands = {TokenCommand.Create.class, TokenCommand.List.class, TokenCommand.Revoke.class})
public final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** Shared plumbing: one admin request, its JSON answer or a precise error. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection;

        @Mixin
        DebugOption debug;

        @Mixin
        OutputOption output;

        @Spec
        CommandSpec spec;

        JsonNode request(String method, String path, Object body) {
            MeshClientOptions options = MeshClientOptions.of(connection.coordinator(), connection.token());
            try (HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(options.connectTimeout())
                    .build()) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(options.url() + path))
                        .timeout(options.requestTimeout())
                        .header("Accept", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(
                                                Json.mapper().writeValueAsBytes(body)));
                if (body != null) {
                    request.header("Content-Type", "application/json");
                }
                if (options.token() != null) {
                    request.header("Authorization", "Bearer " + options.token());
                }
                HttpResponse<String> answer =
                        http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                JsonNode json = answer.body().isEmpty()
                        ? Json.mapper().createObjectNode()
                        : Json.mapper().readTree(answer.body());
                if (answer.statusCode() / 100 != 2) {
                    throw new MeshClientException(
                            json.at("/error/code").asText("http_" + answer.statusCode()),
                            answer.statusCode(),
                            json.at("/error/message").asText(answer.body()));
                }
                return json;
            } catch (IOException e) {
                throw new MeshUnavailableException(
                        "unavailable",
                        0,
                        "cannot reach the coordinator at " + options.url() + ": " + e.getMessage(),
                        java.util.List.of(),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MeshClientException("interrupted", 0, "interrupted");
            }
        }

        void print(String line) {
            spec.commandLine().getOut().println(line);
            spec.commandLine().getOut().flush();
        }

        void printJson(JsonNode json) {
            try {
                print(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Command(name = "create", description = "Create a token; it is printed once and cannot be shown again.")
    static final class Create extends Base {
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, submit, read or agent.")
        String role;

        @Option(names = "--name", paramLabel = "NAME", description = "A name to recognise the token by.")
        String name;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("role", role);
            if (name != null) {
                body.put("name", name);
            }
            JsonNode created = request("POST", "/v1/tokens", body);
            if (output.json()) {
                printJson(created);
            } else {
                print(created.path("token").asText());
                spec.commandLine()
                        .getErr()
                        .println("token " + created.path("id").asText() + " (role "
                                + created.path("role").asText() + ") created; save it now, it is not shown again");
                spec.commandLine().getErr().flush();
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List tokens (ids, names, roles; never the secrets).")
    static final class List extends Base {
        @Override
        public Integer call() {
            JsonNode answer = request("GET", "/v1/tokens", null);
            if (output.json()) {
                printJson(answer);
                return 0;
            }
            Table table = new Table("ID", "NAME", "ROLE", "CREATED", "REVOKED");
            for (JsonNode t : answer.path("tokens")) {
                table.row(
                        t.path("id").asText(),
                        t.path("name").isNull() ? null : t.path("name").asText(),
                        t.path("role").asText(),
                        t.path("created_at").asText(),
                        t.path("revoked_at").isNull()
                                ? null
                                : t.path("revoked_at").asText());
            }
            spec.commandLine().getOut().print(answer.path("tokens").isEmpty() ? "No tokens.\n" : table.render());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token; it stops working at once.")
    static final class Revoke extends Base {
        @Parameters(index = "0", paramLabel = "ID", description = "The token id (tok_...).")
        String id;

        @Override
        public Integer call() {
            request("DELETE", "/v1/tokens/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8), null);
            print("token " + id + " revoked");
            return 0;
        }
    }
}
