package org.planetarymesh.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.JobPage;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshClientException;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/**
 * Chaos with real processes: a coordinator and 4 agents run N short {@code sleep} jobs while a bounded loop kill -9s a
 * random agent every 1-2 s (restarting it with the same name and data dir) and kill -9s the coordinator 3 times
 * (restarting it on the same port and data dir). At the end every job is COMPLETED, each has exactly one {@code end}
 * event, and the test prints how many attempts it took. N is 2,000 in the suite; the long run is
 * {@code -Dmesh.chaos.jobs=50000}.
 */
class ChaosTest {

    static final int JOBS = Integer.getInteger("mesh.chaos.jobs", 2_000);
    static final int AGENTS = 4;
    static final int COORDINATOR_KILLS = 3;
    static final int BATCH = 1_000;
    static final Duration RUN = Duration.ofSeconds(Math.max(120, JOBS / 50));

    @TempDir
    Path dir;

    @Test
    void everyJobCompletesExactlyOnceWhileAgentsAndTheCoordinatorAreKilled() throws Exception {
        long seed = Long.getLong("mesh.chaos.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        System.out.printf("[chaos] %d jobs, seed=%d%n", JOBS, seed);
        long started = System.nanoTime();
        List<MeshProcess> processes = new ArrayList<>();
        try (MeshCluster mesh = new MeshCluster(dir)) {
            MeshProcess coordinator = mesh.startCoordinator();
            String url = mesh.url();
            String token = mesh.token();
            MeshProcess[] agents = new MeshProcess[AGENTS];
            for (int a = 0; a < AGENTS; a++) {
                agents[a] = startAgent(a, url, token);
                processes.add(agents[a]);
            }
            for (MeshProcess agent : agents) {
                agent.awaitLog("connected to coordinator", Duration.ofSeconds(60));
            }

            List<String> ids = new ArrayList<>();
            try (MeshClient client = MeshClient.connect(url, token)) {
                JobSpec sleep =
                        JobSpec.of("sleep", Json.mapper().createObjectNode().put("ms", 3));
                for (int b = 0; b < JOBS; b += BATCH) {
                    int n = Math.min(BATCH, JOBS - b);
                    ids.addAll(client.submitAll(
                            IntStream.range(0, n).mapToObj(i -> sleep).toList()));
                }
            }
            assertThat(ids).hasSize(JOBS).doesNotHaveDuplicates();

            // The chaos loop: bounded in iterations and time. Pacing sleeps only: nothing waits on them.
            int agentKills = 0;
            int coordinatorKills = 0;
            long chaosEnd = System.nanoTime() + RUN.toNanos();
            for (int round = 0; round < 1_000 && System.nanoTime() < chaosEnd; round++) {
                Thread.sleep(1_000 + random.nextInt(1_000));
                int victim = random.nextInt(AGENTS);
                agents[victim].kill9();
                agentKills++;
                agents[victim] = startAgent(victim, url, token);
                processes.add(agents[victim]);
                if (coordinatorKills < COORDINATOR_KILLS && round % 3 == 1) {
                    coordinator.kill9();
                    coordinatorKills++;
                    coordinator = mesh.startCoordinator();
                }
                if (coordinatorKills == COORDINATOR_KILLS && completed(url, token) == JOBS) {
                    break;
                }
            }
            assertThat(coordinatorKills)
                    .as("the coordinator was killed 3 times")
                    .isEqualTo(COORDINATOR_KILLS);

            try (MeshClient client = MeshClient.connect(url, token)) {
                await().atMost(RUN)
                        .pollInterval(Duration.ofSeconds(1))
                        .ignoreException(MeshClientException.class)
                        .until(() -> completed(url, token) == JOBS);
                Map<JobStatus, Integer> byStatus = new HashMap<>();
                long attempts = 0;
                int seen = 0;
                String cursor = null;
                for (int page = 0; page < JOBS / 1_000 + 5; page++) {
                    JobPage jobs = client.list(JobQuery.all().withLimit(1_000).withCursor(cursor));
                    for (Job job : jobs.jobs()) {
                        byStatus.merge(job.status(), 1, Integer::sum);
                        attempts += job.attempt();
                        seen++;
                    }
                    if (!jobs.hasMore()) {
                        break;
                    }
                    cursor = jobs.nextCursor();
                }
                assertThat(seen).isEqualTo(JOBS);
                assertThat(byStatus).isEqualTo(Map.of(JobStatus.COMPLETED, JOBS));

                // One end event each: all of them in the short run, a sample of 2,000 in a long one.
                HttpClient http = HttpClient.newHttpClient();
                int step = Math.max(1, JOBS / 2_000);
                int checked = 0;
                for (int i = 0; i < ids.size(); i += step) {
                    String id = ids.get(i);
                    HttpResponse<String> events = http.send(
                            HttpRequest.newBuilder(URI.create(url + "/v1/jobs/" + id + "/events?follow=false"))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Accept", "text/event-stream")
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    long ends = events.body()
                            .lines()
                            .filter(l -> l.startsWith("event:")
                                    && l.substring(6).strip().equals("end"))
                            .count();
                    assertThat(ends).as("end events of %s (seed=%d)", id, seed).isEqualTo(1);
                    checked++;
                }
                System.out.printf(
                        "[chaos] %d jobs COMPLETED in %d attempts (%d beyond one each); %d agent kills, %d coordinator"
                                + " kills; one end event checked for %d jobs; %d s; seed=%d%n",
                        JOBS,
                        attempts,
                        attempts - JOBS,
                        agentKills,
                        coordinatorKills,
                        checked,
                        Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                        seed);
            }
        } finally {
            processes.forEach(MeshProcess::close);
        }
    }

    /** An agent that is not waited for: the chaos loop restarts agents without pausing. */
    private MeshProcess startAgent(int a, String url, String token) {
        return MeshProcess.start(
                "agent-" + a,
                dir,
                Map.of(),
                "agent",
                "--coordinator",
                url,
                "--token",
                token,
                "--name",
                "chaos-" + a,
                "--data-dir",
                "agent-" + a,
                "--max-concurrent",
                "16",
                "--http-port",
                "-1");
    }

    /** COMPLETED jobs, or -1 while the coordinator is down. */
    private static int completed(String url, String token) {
        try (MeshClient client = MeshClient.connect(url, token)) {
            int n = 0;
            String cursor = null;
            for (int page = 0; page < JOBS / 1_000 + 5; page++) {
                JobPage jobs = client.list(JobQuery.all()
                        .withStatus(JobStatus.COMPLETED)
                        .withLimit(1_000)
                        .withCursor(cursor));
                n += jobs.jobs().size();
                if (!jobs.hasMore()) {
                    return n;
                }
                cursor = jobs.nextCursor();
            }
            return n;
        } catch (MeshClientException e) {
            return -1;
        }
    }
}
