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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.testkit.faults.KillablePostgres;

/**
 * Two coordinators on one PostgreSQL database and a schedule every 2 s: only the leader fires it, each tick makes one
 * job, and when the leader is killed with SIGKILL the standby that takes over goes on firing from where the store
 * says the schedule is, still one job a tick (the tick's job is keyed by schedule and tick, ADR 0062).
 */
class ScheduleTakeoverTest {

    private static final Duration EVERY = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aScheduleFiresEachTickOnceAcrossALeaderTakeover() throws Exception {
        try (KillablePostgres postgres = KillablePostgres.create();
                Coordinators coordinators = new Coordinators(dir, postgres.jdbcUrl(), 2, Map.of())) {
            coordinators.startAll();
            assertThat(coordinators.leader()).isZero();
            String token = coordinators.token();
            JsonNode created = send(
                    coordinators.url(0),
                    token,
                    "/v1/schedules",
                    "{\"cron\":\"*/2 * * * * *\",\"job\":{\"type\":\"echo\"},\"missed\":\"run_once\"}");
            String id = created.path("id").asText();
            assertThat(id).as("schedule created: %s", created).isNotEmpty();
            try (MeshClient client = MeshClient.connect(coordinators.urls(), token)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> ticksOf(client, id).size() >= 3);

                coordinators.process(0).kill9();
                int next = coordinators.awaitLeaderOtherThan(0, Duration.ofSeconds(60));
                assertThat(next).isEqualTo(1);
                Instant tookOver = Instant.now();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> ticksOf(client, id).keySet().stream()
                                        .filter(t -> t.isAfter(tookOver))
                                        .count()
                                >= 3);
                send(coordinators.url(1), token, "/v1/schedules/" + id + "/pause", "");

                Map<Instant, List<Job>> byTick = ticksOf(client, id);
                byTick.forEach((tick, jobs) ->
                        assertThat(jobs).as("jobs of tick %s", tick).hasSize(1));
                TreeSet<Instant> ticks = new TreeSet<>(byTick.keySet());
                List<Instant> gaps = new ArrayList<>();
                for (Instant t = ticks.first(); t.isBefore(ticks.last()); t = t.plus(EVERY)) {
                    if (!ticks.contains(t)) {
                        gaps.add(t);
                    }
                }
                // Ticks that came while no coordinator led are settled by one job (run_once) on the new leader.
                assertThat(ticks.subSet(tookOver, ticks.last().plusMillis(1)))
                        .as("ticks fired by the new leader")
                        .hasSizeGreaterThanOrEqualTo(3);
                System.out.printf(
                        "schedule across a leader takeover: %d ticks, each fired once; %d ticks while no one led%n",
                        ticks.size(), gaps.size());
            }
        }
    }

    private static JsonNode send(String base, String token, String path, String body) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("%s -> %s", path, answer.body()).isBetween(200, 299);
        return Json.mapper().readTree(answer.body());
    }

    /** The schedule's tick jobs by the tick in their key. */
    private static Map<Instant, List<Job>> ticksOf(MeshClient client, String scheduleId) {
        Map<Instant, List<Job>> byTick = new HashMap<>();
        String prefix = "schedule:" + scheduleId + ":";
        for (Job job : client.list(JobQuery.all().withLimit(1000)).jobs()) {
            String key = job.spec().idempotencyKey();
            if (key != null && key.startsWith(prefix) && !key.startsWith(prefix + "run:")) {
                byTick.computeIfAbsent(Instant.parse(key.substring(prefix.length())), t -> new ArrayList<>())
                        .add(job);
            }
        }
        return byTick;
    }
}
