package org.planetarymesh.it.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;

/**
 * Ctrl-C on {@code mesh up} while jobs run and wait, then {@code mesh up} again on the same data dir: every job the
 * mesh accepted still ends COMPLETED, exactly once (one {@code end} event each), none lost and none failed.
 */
class InterruptAndResumeTest {

    private static final int SHORT = 200;
    private static final int LONG = 4;

    @TempDir
    Path dir;

    @Test
    void sigintWhileJobsRunThenRestartLosesNothing() throws IOException, InterruptedException {
        try (LocalMesh mesh = new LocalMesh(dir)) {
            mesh.start();
            assumeThat(sigintIgnored(mesh.process().pid()))
                    .as("SIGINT is ignored by processes this JVM starts (a background shell); cannot test Ctrl-C")
                    .isFalse();
            List<String> ids = new ArrayList<>();
            try (MeshClient client = mesh.client()) {
                List<JobSpec> specs = new ArrayList<>();
                IntStream.range(0, LONG).forEach(i -> specs.add(sleep(3000, "long-" + i)));
                IntStream.range(0, SHORT).forEach(i -> specs.add(sleep(200, "short-" + i)));
                ids.addAll(client.submitAll(specs));
                assertThat(ids).hasSize(SHORT + LONG).doesNotHaveDuplicates();

                Map<JobStatus, Long> before = await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(50))
                        .until(
                                () -> statuses(client, ids),
                                s -> s.getOrDefault(JobStatus.RUNNING, 0L) > 0
                                        && s.getOrDefault(JobStatus.QUEUED, 0L) > 0);
                assertThat(before.getOrDefault(JobStatus.FAILED, 0L)).isZero();
            }

            mesh.process().interrupt();
            int exit = mesh.process().waitFor(Duration.ofSeconds(60));

            assertThat(exit)
                    .as("exit code after SIGINT%n%s", mesh.process().log())
                    .isIn(0, 130);
            assertThat(mesh.process().log()).contains("Stopping");

            Instant restarted = Instant.now();
            mesh.start();
            try (MeshClient client = mesh.client()) {
                List<Job> done = await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(250))
                        .until(
                                () -> ids.stream().map(client::get).toList(),
                                jobs -> jobs.stream().allMatch(j -> j.status().isTerminal()));

                assertThat(done)
                        .allSatisfy(job -> assertThat(job.status())
                                .as("job %s (%s): %s", job.id(), job.spec().payload(), job.error())
                                .isEqualTo(JobStatus.COMPLETED));
                assertThat(done)
                        .as("the restarted mesh finished what the first one left")
                        .anyMatch(job -> job.finishedAt().isAfter(restarted));
                try (HttpClient http = HttpClient.newHttpClient()) {
                    for (String id : ids) {
                        assertThat(ends(http, mesh, id))
                                .as("end events of job %s", id)
                                .isEqualTo(1);
                    }
                }
            }
        }
    }

    private static JobSpec sleep(long ms, String tag) {
        return JobSpec.of(
                "sleep", Json.mapper().createObjectNode().put("ms", ms).put("tag", tag));
    }

    private static Map<JobStatus, Long> statuses(MeshClient client, List<String> ids) {
        List<Job> jobs =
                client.list(JobQuery.all().withType("sleep").withLimit(1000)).jobs();
        assertThat(jobs).extracting(Job::id).containsAll(ids);
        return jobs.stream().collect(Collectors.groupingBy(Job::status, Collectors.counting()));
    }

    /**
     * The {@code end} events in the job's recorded event stream, read raw: the SDK's stream stops at the first end, so
     * it could not see a second one.
     */
    private static long ends(HttpClient http, LocalMesh mesh, String id) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(mesh.url() + "/v1/jobs/" + id + "/events?follow=false"))
                        .header("Authorization", "Bearer " + mesh.token())
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body()
                .lines()
                .filter(line -> line.strip().equals("event: end"))
                .count();
    }

    /** Whether the process ignores SIGINT (bit 2 of SigIgn), as children of a non-interactive background shell do. */
    private static boolean sigintIgnored(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return false;
        }
        return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("SigIgn:"))
                .map(line -> Long.parseUnsignedLong(
                        line.substring("SigIgn:".length()).strip(), 16))
                .map(mask -> (mask & 0b10) != 0)
                .findFirst()
                .orElse(false);
    }
}
