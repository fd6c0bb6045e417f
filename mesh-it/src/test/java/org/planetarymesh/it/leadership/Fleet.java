package org.planetarymesh.it.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.client.JobPage;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshClientException;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshProcess;

/** Agents on several coordinators, and what the leadership tests check and measure through the client. */
final class Fleet {

    private Fleet() {}

    /** An agent process given {@code coordinators} (a comma-separated list); not waited for. */
    static MeshProcess agent(Path dir, String name, String coordinators, String token, int slots) {
        return MeshProcess.start(
                "agent-" + name,
                dir,
                Map.of(),
                "agent",
                "--coordinator",
                coordinators,
                "--token",
                token,
                "--name",
                name,
                "--data-dir",
                "agent-" + name,
                "--max-concurrent",
                Integer.toString(slots),
                "--http-port",
                "-1");
    }

    /**
     * The time from {@code goneAtNanos} (the leader killed or paused) until a probe job, submitted as soon as some
     * coordinator accepts it and placed ahead of the backlog, has run on an agent: leader gone, jobs dispatched again.
     */
    static Duration takeover(MeshClient client, long goneAtNanos, Duration within) {
        JobSpec probe = JobSpec.of("sleep", Json.mapper().createObjectNode().put("ms", 1))
                .withPriority(1_000);
        Job accepted = await().atMost(within)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(MeshClientException.class)
                .until(() -> client.submit(probe), j -> j != null);
        Job[] ended = new Job[1];
        await().atMost(within)
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptionsInstanceOf(MeshClientException.class)
                .until(() -> {
                    Job j = client.get(accepted.id());
                    ended[0] = j;
                    return j.status() == JobStatus.RUNNING || j.status().isTerminal();
                });
        Duration took = Duration.ofNanos(System.nanoTime() - goneAtNanos);
        assertThat(ended[0].status()).isIn(JobStatus.RUNNING, JobStatus.COMPLETED);
        return took;
    }

    /** Every job in the store by status; asserts there are {@code expected} and returns the total of attempts. */
    static long checkAllCompletedOnce(MeshClient client, String url, String token, Set<String> accepted)
            throws Exception {
        Map<JobStatus, Integer> byStatus = new EnumMap<>(JobStatus.class);
        Set<String> seen = new HashSet<>();
        long attempts = 0;
        String cursor = null;
        for (int page = 0; page < accepted.size() / 1_000 + 10; page++) {
            JobPage jobs = client.list(JobQuery.all().withLimit(1_000).withCursor(cursor));
            for (Job job : jobs.jobs()) {
                if (accepted.contains(job.id())) {
                    byStatus.merge(job.status(), 1, Integer::sum);
                    attempts += job.attempt();
                    seen.add(job.id());
                }
            }
            if (!jobs.hasMore()) {
                break;
            }
            cursor = jobs.nextCursor();
        }
        assertThat(seen).as("every accepted job is in the store").hasSize(accepted.size());
        assertThat(byStatus)
                .as("statuses of the accepted jobs")
                .isEqualTo(Map.of(JobStatus.COMPLETED, accepted.size()));
        return attempts;
    }

    /** How many {@code end} events job {@code id} has in its recorded history. */
    static long ends(HttpClient http, String url, String token, String id) throws Exception {
        HttpResponse<String> events = http.send(
                HttpRequest.newBuilder(URI.create(url + "/v1/jobs/" + id + "/events?follow=false"))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return events.body()
                .lines()
                .filter(l -> l.startsWith("event:") && l.substring(6).strip().equals("end"))
                .count();
    }

    /** Jobs COMPLETED among everything in the store, or -1 while no coordinator answers. */
    static int completed(MeshClient client, int max) {
        try {
            int n = 0;
            String cursor = null;
            for (int page = 0; page < max / 1_000 + 5; page++) {
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

    static List<JobSpec> sleeps(int n, int ms) {
        JobSpec sleep = JobSpec.of("sleep", Json.mapper().createObjectNode().put("ms", ms));
        return java.util.Collections.nCopies(n, sleep);
    }
}
