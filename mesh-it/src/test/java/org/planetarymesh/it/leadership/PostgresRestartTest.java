package org.planetarymesh.it.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshClientException;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.testkit.faults.KillablePostgres;

/**
 * PostgreSQL restarts (SIGKILL of the postmaster, started again 10 s later) under two coordinators, two agents and a
 * steady stream of submits: every coordinator keeps running and waits, the leader stays the leader, {@code /healthz}
 * and submits answer 503 with {@code Retry-After} while the database is down, and every accepted job ends COMPLETED
 * once.
 */
class PostgresRestartTest {

    private static final int JOBS = 1_500;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    @Test
    void coordinatorsWaitThroughARestartOfPostgresqlAndNoAcceptedJobIsLost() throws Exception {
        List<MeshProcess> agents = new ArrayList<>();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (KillablePostgres postgres = KillablePostgres.create();
                Coordinators coordinators = new Coordinators(dir, postgres.jdbcUrl(), 2, Map.of())) {
            coordinators.startAll();
            String token = coordinators.token();
            int leader = coordinators.leader();
            long epoch = coordinators.health(leader).path("epoch").asLong();
            for (String name : List.of("p1", "p2")) {
                agents.add(Fleet.agent(dir, name, coordinators.urls(), token, 16));
            }
            for (MeshProcess agent : agents) {
                agent.awaitLog("connected to coordinator", MeshCluster.START);
            }
            // 4 clients, one submit each 20 ms at most: 200 a second, so the outage falls mid-run.
            Submitters submitters =
                    new Submitters(coordinators.urls(), token, JOBS, 4, TimeUnit.MILLISECONDS.toNanos(20), RUN_LIMIT);
            submitters.start();
            try {
                await().atMost(RUN_LIMIT).until(() -> submitters.accepted() >= JOBS / 3 || submitters.failed());
                long downAt = System.nanoTime();
                postgres.kill9();

                JsonNode down = await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> health(http, coordinators.url(leader)), a -> a.status() == 503)
                        .body();
                assertThat(down.path("store").path("status").asText()).isEqualTo("unavailable");
                assertThat(down.path("role").asText()).as("still the leader").isEqualTo("leader");
                Answer standby = await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> health(http, coordinators.url(1 - leader)), a -> a.status() == 503);
                assertThat(standby.retryAfter())
                        .as("a standby's /healthz while the database is down")
                        .isNotNull();

                long asked = System.nanoTime();
                HttpResponse<String> refused = http.send(
                        HttpRequest.newBuilder(URI.create(coordinators.url(leader) + "/v1/jobs"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"type\":\"sleep\",\"payload\":{\"ms\":1}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode())
                        .as("a submit while PostgreSQL is down")
                        .isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(Json.mapper()
                                .readTree(refused.body())
                                .path("error")
                                .path("code")
                                .asText())
                        .isEqualTo("store_unavailable");
                assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(3));

                LockSupport.parkNanos(Math.max(0, OUTAGE.toNanos() - (System.nanoTime() - downAt)));
                postgres.start();
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> health(http, coordinators.url(leader)).status() == 200);
                System.out.printf(
                        "[pg-restart] PostgreSQL down for %d s; the leader serves again after %d s%n",
                        OUTAGE.toSeconds(),
                        Duration.ofNanos(System.nanoTime() - downAt).toSeconds());
                await().atMost(RUN_LIMIT).until(() -> submitters.accepted() == JOBS || submitters.failed());
            } finally {
                submitters.stop();
            }
            assertThat(submitters.failed())
                    .as("submitters: " + submitters.problem())
                    .isFalse();
            for (int i = 0; i < coordinators.size(); i++) {
                assertThat(coordinators.process(i).isAlive())
                        .as("coordinator %d ran through", i)
                        .isTrue();
            }
            JsonNode after = coordinators.health(leader);
            assertThat(after.path("role").asText()).as("the same leader").isEqualTo("leader");
            assertThat(after.path("epoch").asLong()).as("no takeover").isEqualTo(epoch);
            assertThat(submitters.refusals().keySet())
                    .as("what clients were told while PostgreSQL was down")
                    .isNotEmpty()
                    .allMatch(k -> k.startsWith("503 ") || k.startsWith("0 "));
            try (MeshClient client = MeshClient.connect(coordinators.urls(), token)) {
                await().atMost(RUN_LIMIT)
                        .pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptionsInstanceOf(MeshClientException.class)
                        .until(() -> Fleet.completed(client, JOBS + 10) >= JOBS);
                long attempts = Fleet.checkAllCompletedOnce(client, null, token, submitters.ids());
                int step = Math.max(1, JOBS / 500);
                List<String> ids = new ArrayList<>(submitters.ids());
                for (int i = 0; i < ids.size(); i += step) {
                    assertThat(Fleet.ends(http, coordinators.url(leader), token, ids.get(i)))
                            .as("end events of %s", ids.get(i))
                            .isEqualTo(1);
                }
                System.out.printf(
                        "[pg-restart] %d jobs accepted, each COMPLETED once (%d attempts); refused meanwhile: %s%n",
                        JOBS, attempts, submitters.refusals());
            }
        } finally {
            agents.forEach(MeshProcess::close);
        }
    }

    private record Answer(int status, JsonNode body, String retryAfter) {}

    private static Answer health(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url + "/healthz"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    r.statusCode(),
                    Json.mapper().readTree(r.body()),
                    r.headers().firstValue("Retry-After").orElse(null));
        } catch (Exception e) {
            return new Answer(-1, null, null);
        }
    }
}
