package org.planetarymesh.it.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshUnavailableException;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/**
 * Cron schedules on real coordinator processes: a schedule every 2 seconds, made and managed with the {@code mesh}
 * CLI, fires once per tick across a kill -9 and restart of its coordinator (the ticks missed while it was down make
 * one job, as {@code run_once} says). Two coordinators on one PostgreSQL database: ScheduleTakeoverTest.
 */
class ScheduleRestartTest {

    private static final Duration EVERY = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void aScheduleEveryTwoSecondsFiresOncePerTickAcrossAKillAndRestart() {
        try (MeshCluster mesh = new MeshCluster(dir)) {
            MeshProcess coordinator = mesh.startCoordinator();
            mesh.startAgent("a1");
            String id = cli(mesh, "schedule", "create", "echo", "--cron", "*/2 * * * * *", "--payload", "\"tick\"")
                    .strip();
            Instant killedAt;
            Instant restartedAt;
            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> completed(client, id) >= 3);
                killedAt = Instant.now();
                coordinator.kill9();
            }
            // Down for at least 6 s, so that at least two ticks pass with no coordinator.
            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(killedAt.plusSeconds(6)));
            mesh.startCoordinator();
            restartedAt = Instant.now();
            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                await().atMost(Duration.ofSeconds(60))
                        .ignoreException(MeshUnavailableException.class)
                        .until(() -> ticksOf(client, id).keySet().stream()
                                        .filter(t -> t.isAfter(restartedAt))
                                        .count()
                                >= 3);
                assertThat(cli(mesh, "schedule", "pause", id)).contains("paused");
                Instant pausedAt = Instant.now();

                Map<Instant, List<Job>> byTick = ticksOf(client, id);
                byTick.forEach((tick, jobs) ->
                        assertThat(jobs).as("jobs of tick %s", tick).hasSize(1));
                Instant first = byTick.keySet().stream().min(Instant::compareTo).orElseThrow();
                List<Instant> missing = new ArrayList<>();
                for (Instant t = first; t.isBefore(pausedAt.minus(EVERY)); t = t.plus(EVERY)) {
                    if (!byTick.containsKey(t)) {
                        missing.add(t);
                    }
                }
                assertThat(missing)
                        .as("ticks without a job: only while the coordinator was down")
                        .hasSizeGreaterThanOrEqualTo(2)
                        .allSatisfy(t -> assertThat(t).isBetween(killedAt.minus(EVERY), restartedAt.plus(EVERY)));
                // On time, a job is made within moments of its tick; the one run_once makes for the missed ticks
                // is made after the restart, seconds after the tick it settles.
                List<Job> late = byTick.entrySet().stream()
                        .filter(e -> Duration.between(
                                                e.getKey(),
                                                e.getValue().getFirst().createdAt())
                                        .compareTo(EVERY)
                                > 0)
                        .map(e -> e.getValue().getFirst())
                        .toList();
                assertThat(late).as("jobs for missed ticks (run_once)").hasSize(1);
                System.out.printf(
                        "schedule every 2 s across kill -9: %d ticks fired, %d missed while down %s to %s, one job"
                                + " for them at %s%n",
                        byTick.size(),
                        missing.size(),
                        killedAt,
                        restartedAt,
                        late.getFirst().createdAt());

                String ran = cli(mesh, "schedule", "run", id).strip();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> client.get(ran).status() == JobStatus.COMPLETED);
                int atDelete = allOf(client, id).size();
                assertThat(cli(mesh, "schedule", "delete", id)).contains("deleted");
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(6))
                        .until(() -> allOf(client, id).size() == atDelete);
                assertThat(cli(mesh, "schedule", "list")).doesNotContain(id);
            }
        }
    }

    private static String cli(MeshCluster mesh, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--coordinator", mesh.url(), "--token", mesh.token()));
        MeshProcess.Result result =
                MeshProcess.run(mesh.dir(), Map.of(), Duration.ofSeconds(60), all.toArray(String[]::new));
        assertThat(result.exitCode())
                .as("mesh %s: %s", String.join(" ", args), result.stderr())
                .isZero();
        return result.stdout();
    }

    private static List<Job> allOf(MeshClient client, String scheduleId) {
        List<Job> jobs = new ArrayList<>();
        for (Job job : client.list(JobQuery.all().withLimit(1000)).jobs()) {
            String key = job.spec().idempotencyKey();
            if (key != null && key.startsWith("schedule:" + scheduleId + ":")) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    /** The schedule's tick jobs by the tick in their key. */
    private static Map<Instant, List<Job>> ticksOf(MeshClient client, String scheduleId) {
        Map<Instant, List<Job>> byTick = new HashMap<>();
        for (Job job : allOf(client, scheduleId)) {
            String tick = job.spec().idempotencyKey().substring(("schedule:" + scheduleId + ":").length());
            if (!tick.startsWith("run:")) {
                byTick.computeIfAbsent(Instant.parse(tick), t -> new ArrayList<>())
                        .add(job);
            }
        }
        return byTick;
    }

    private static long completed(MeshClient client, String scheduleId) {
        return allOf(client, scheduleId).stream()
                .filter(j -> j.status() == JobStatus.COMPLETED)
                .count();
    }
}
