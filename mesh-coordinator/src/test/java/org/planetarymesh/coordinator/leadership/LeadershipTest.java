package org.planetarymesh.coordinator.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.Database;
import org.planetarymesh.testkit.db.PostgresServer;

/**
 * Two coordinators in this JVM on one real PostgreSQL database: one leads, the other serves as a standby (reads,
 * redirects, its role), takes over when the leader stops, and a leader whose lease was taken from under it has its
 * writes refused.
 */
class LeadershipTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theStandbyServesReadsRedirectsWritesAndTakesOverWhenTheLeaderStops() throws Exception {
        String database = PostgresServer.freshDatabaseUrl();
        Coordinator leader = Coordinator.start(config("a", database, 0), e -> {});
        CompletableFuture<Coordinator> standby = new CompletableFuture<>();
        int standbyPort = freePort();
        try {
            shareAdminToken("a", "b");
            Thread.ofVirtual().start(() -> {
                try {
                    standby.complete(Coordinator.start(config("b", database, standbyPort), e -> {}));
                } catch (Throwable t) {
                    standby.completeExceptionally(t);
                }
            });
            String standbyUrl = "http://127.0.0.1:" + standbyPort;
            String token = leader.adminToken();

            JsonNode leaderHealth = get(leader.url() + "/healthz", null).body;
            assertThat(leaderHealth.path("role").asText()).isEqualTo("leader");
            long epoch = leaderHealth.path("epoch").asLong();
            assertThat(epoch).isPositive();

            Answer standbyHealth = await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> get(standbyUrl + "/healthz", null), a -> a.status == 200);
            assertThat(standbyHealth.body.path("role").asText()).isEqualTo("standby");
            assertThat(standbyHealth.body.path("leader").asText()).isEqualTo(leader.url());
            assertThat(standby).isNotDone();

            Answer created = post(leader.url() + "/v1/jobs", token, "{\"type\":\"echo\",\"payload\":{\"m\":1}}");
            assertThat(created.status).isEqualTo(201);
            String id = created.body.path("id").asText();
            Answer read = get(standbyUrl + "/v1/jobs/" + id, token);
            assertThat(read.status).as("a read on the standby, from the store").isEqualTo(200);
            assertThat(read.body.path("id").asText()).isEqualTo(id);
            assertThat(get(standbyUrl + "/v1/jobs/" + id, null).status)
                    .as("without a token")
                    .isEqualTo(401);

            HttpResponse<String> redirected = HTTP.send(
                    HttpRequest.newBuilder(URI.create(standbyUrl + "/v1/jobs?x=1"))
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"echo\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(redirected.statusCode())
                    .as("a write sent to the standby")
                    .isEqualTo(307);
            assertThat(redirected.headers().firstValue("Location")).hasValue(leader.url() + "/v1/jobs?x=1");
            assertThat(redirected.headers().firstValue(StandbyServer.LEADER_HEADER))
                    .hasValue(leader.url());
            assertThat(Json.mapper()
                            .readTree(redirected.body())
                            .path("error")
                            .path("code")
                            .asText())
                    .isEqualTo("not_leader");

            JsonNode members =
                    get(leader.url() + "/v1/coordinators", token).body.path("coordinators");
            assertThat(members).hasSize(2);
            assertThat(members.findValuesAsText("role")).containsExactlyInAnyOrder("leader", "standby");
            assertThat(members.findValuesAsText("url")).containsExactlyInAnyOrder(leader.url(), standbyUrl);

            long stoppedAt = System.nanoTime();
            leader.close();
            Coordinator next = standby.get(30, java.util.concurrent.TimeUnit.SECONDS);
            try {
                System.out.printf("takeover after a clean stop: %d ms%n", (System.nanoTime() - stoppedAt) / 1_000_000);
                assertThat(next.url()).isEqualTo(standbyUrl);
                JsonNode health = get(standbyUrl + "/healthz", null).body;
                assertThat(health.path("role").asText()).isEqualTo("leader");
                assertThat(health.path("epoch").asLong()).isEqualTo(epoch + 1);
                assertThat(get(standbyUrl + "/v1/jobs/" + id, token)
                                .body
                                .path("status")
                                .asText())
                        .as("the job the old leader accepted, recovered")
                        .isEqualTo("QUEUED");
            } finally {
                next.close();
            }
        } finally {
            leader.close();
            standby.thenAccept(Coordinator::close);
        }
    }

    @Test
    void aLeaderWhoseLeaseWasTakenHasItsWritesRefusedAndIsTold() throws Exception {
        String database = PostgresServer.freshDatabaseUrl();
        AtomicLong lostTo = new AtomicLong(-1);
        try (Coordinator leader = Coordinator.start(config("a", database, 0), lostTo::set);
                Database other = Database.open(database)) {
            String token = leader.adminToken();
            assertThat(post(leader.url() + "/v1/jobs", token, "{\"type\":\"echo\",\"idempotency_key\":\"before\"}")
                            .status)
                    .isEqualTo(201);
            // What a standby does once the leader was paused for longer than its lease.
            long taken = other.lease()
                    .takeOver(other.lease().read(), "usurper", "http://127.0.0.1:1")
                    .getAsLong();

            Answer late = post(leader.url() + "/v1/jobs", token, "{\"type\":\"echo\",\"idempotency_key\":\"late\"}");
            assertThat(late.status)
                    .as("a submit after the takeover: %s", late.body)
                    .isNotEqualTo(201);
            assertThat(late.status).isGreaterThanOrEqualTo(500);
            await().atMost(Duration.ofSeconds(10)).until(() -> lostTo.get() == taken);
            assertThat(other.jobs().findByIdempotencyKey("late"))
                    .as("the late write")
                    .isEmpty();
            assertThat(other.jobs().findByIdempotencyKey("before")).isPresent();
        }
    }

    @Test
    void aSecondCoordinatorOnOneSqliteFileIsRefusedWithWhatToDoInstead() {
        String file = "jdbc:sqlite:" + dir.resolve("shared").resolve("mesh.db");
        try (Coordinator first = Coordinator.start(config("a", file, 0), e -> {})) {
            assertThat(first.leadership()).isNull();
            assertThatThrownBy(() -> Coordinator.start(config("b", file, 0), e -> {}))
                    .isInstanceOf(SqliteOwnership.SecondCoordinatorException.class)
                    .hasMessageContaining("already used by another coordinator")
                    .hasMessageContaining("SQLite takes one coordinator")
                    .hasMessageContaining("PostgreSQL");
        }
    }

    @Test
    void onSqliteTheOneCoordinatorSaysItLeadsAndListsItself() throws Exception {
        try (Coordinator only = Coordinator.start(config("a", null, 0), e -> {})) {
            assertThat(get(only.url() + "/healthz", null).body.path("role").asText())
                    .isEqualTo("leader");
            JsonNode members =
                    get(only.url() + "/v1/coordinators", only.adminToken()).body.path("coordinators");
            assertThat(members).hasSize(1);
            assertThat(members.get(0).path("url").asText()).isEqualTo(only.url());
        }
    }

    private CoordinatorConfig config(String name, String database, int port) {
        return CoordinatorConfig.defaults(dir.resolve(name))
                .withPort(port)
                .withDatabaseUrl(database)
                .withRequireAgentKey(false)
                .withLeadership(new LeadershipSettings(Duration.ofMillis(900), null));
    }

    private void shareAdminToken(String from, String to) throws IOException {
        Files.createDirectories(dir.resolve(to));
        Files.copy(dir.resolve(from).resolve("admin.token"), dir.resolve(to).resolve("admin.token"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private record Answer(int status, JsonNode body) {}

    private static Answer get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        return send(b, token);
    }

    private static Answer post(String url, String token, String json) throws Exception {
        return send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)),
                token);
    }

    private static Answer send(HttpRequest.Builder b, String token) throws Exception {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r =
                HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                r.statusCode(), r.body().isEmpty() ? null : Json.mapper().readTree(r.body()));
    }
}
