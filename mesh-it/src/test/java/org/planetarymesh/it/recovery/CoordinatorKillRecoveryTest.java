package org.planetarymesh.it.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.JobPage;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshUnavailableException;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/** kill -9 of the coordinator with 10,000 jobs in flight: after a restart on the same data dir each completes once. */
class CoordinatorKillRecoveryTest {
    private static final int JOBS = 10_000;
    private static final int BATCH = 1_000;
    private static final int PAGE = 1_000;
    private static final int SLEEP_MS = 40;
    private static final int MAX_PAGES = JOBS / PAGE + 5;

    @TempDir
    Path dir;

    @Test
    void onSqliteEveryOneOfTenThousandJobsInFlightWhenTheCoordinatorIsKilledEndsCompletedExactlyOnce() {
        killAndRecover();
    }

    @Test
    void onPostgresqlEveryOneOfTenThousandJobsInFlightWhenTheCoordinatorIsKilledEndsCompletedExactlyOnce()
            throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            killAndRecover("--database-url", postgres.getJdbcUrl("postgres", "postgres"));
        }
    }

    private void killAndRecover(String... coordinatorArgs) {
        long started = System.nanoTime();
        try (MeshCluster mesh = new MeshCluster(dir)) {
            MeshProcess coordinator = mesh.startCoordinator(coordinatorArgs);
            List<String> ids = new ArrayList<>();
            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                // 32 slots of 40 ms jobs cap the run at 800 jobs/s, so 10,000 jobs take at least 12.5 s: the kill
                // (a few hundred ms after the 200th completion) lands mid-run however fast the mesh gets.
                JobSpec sleep =
                        JobSpec.of("sleep", Json.mapper().createObjectNode().put("ms", SLEEP_MS));
                for (int batch = 0; batch < JOBS / BATCH; batch++) {
                    ids.addAll(client.submitAll(
                            IntStream.range(0, BATCH).mapToObj(i -> sleep).toList()));
                }
                assertThat(ids).hasSize(JOBS).doesNotHaveDuplicates();
                // The agents join once every job is in: jobs run while a slow machine is still submitting would
                // otherwise be done before the kill.
                mesh.startAgent("r1", "--max-concurrent", "16");
                mesh.startAgent("r2", "--max-concurrent", "16");
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> count(client, JobStatus.COMPLETED) >= 200);
                coordinator.kill9();
            }

            mesh.startCoordinator(coordinatorArgs);
            int completedAtRestart;
            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                completedAtRestart = count(client, JobStatus.COMPLETED);
                assertThat(completedAtRestart)
                        .as("the kill must hit jobs in flight, not a finished run")
                        .isLessThan(JOBS);
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofSeconds(1))
                        .ignoreException(MeshUnavailableException.class)
                        .until(() -> count(client, JobStatus.COMPLETED) == JOBS);

                Map<JobStatus, Integer> byStatus = new HashMap<>();
                Set<String> seen = new HashSet<>();
                forEachJob(client, JobQuery.all(), job -> {
                    byStatus.merge(job.status(), 1, Integer::sum);
                    seen.add(job.id());
                });
                assertThat(byStatus).as("every job, by status").isEqualTo(Map.of(JobStatus.COMPLETED, JOBS));
                assertThat(seen).as("exactly the accepted ids").isEqualTo(new HashSet<>(ids));

                for (int i = 0; i < JOBS; i += JOBS / 300) {
                    String id = ids.get(i);
                    List<JobEvent> events;
                    try (var stream = client.recordedEvents(id)) {
                        events = stream.stream().toList();
                    }
                    assertThat(events.stream().filter(e -> e.kind() == JobEvent.Kind.END))
                            .as("end events of " + id)
                            .singleElement()
                            .extracting(JobEvent::status)
                            .isEqualTo(JobStatus.COMPLETED);
                    assertThat(events.stream()
                                    .filter(e -> e.kind() == JobEvent.Kind.STATUS && e.status() == JobStatus.COMPLETED))
                            .as("COMPLETED status events of " + id)
                            .hasSizeLessThanOrEqualTo(1);
                }
            }
            System.out.printf(
                    "kill -9 recovery %s: %d jobs, %d completed at restart, %d s in all%n",
                    coordinatorArgs.length == 0 ? "sqlite" : "postgresql",
                    JOBS,
                    completedAtRestart,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
    }

    private static int count(MeshClient client, JobStatus status) {
        int[] n = {0};
        forEachJob(client, JobQuery.all().withStatus(status), job -> n[0]++);
        return n[0];
    }

    private static void forEachJob(MeshClient client, JobQuery query, java.util.function.Consumer<Job> action) {
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            JobPage jobs = client.list(query.withLimit(PAGE).withCursor(cursor));
            jobs.jobs().forEach(action);
            if (!jobs.hasMore()) {
                return;
            }
            cursor = jobs.nextCursor();
        }
        throw new AssertionError("more than " + MAX_PAGES + " pages of " + PAGE + " jobs");
    }
}
