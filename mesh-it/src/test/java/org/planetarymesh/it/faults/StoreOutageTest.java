package org.planetarymesh.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.JobPage;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.testkit.faults.KillablePostgres;
import org.planetarymesh.testkit.faults.SmallDisk;

/**
 * The store fails under a running coordinator, twice, and comes back, with no restart of the coordinator: on
 * PostgreSQL the postmaster is killed with SIGKILL and started again 15 s later; on SQLite the disk holding the file
 * fills up for 15 s. 5,000 jobs are submitted meanwhile with idempotency keys, each retried until it is accepted.
 * Every accepted job must end COMPLETED exactly once in the store, a waiter on {@code /v1/events} must see every end,
 * {@code /v1/stats} must equal the store's counts, {@code /healthz} must say 503 while the store is down, and a
 * submit during the outage must be refused at once with {@code Retry-After}.
 */
class StoreOutageTest {

    private static final int JOBS = 5_000;
    private static final int OUTAGES = 2;
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    /** Submissions are paced (one per 8 ms) so that both outages fall in the middle of the run. */
    private static final long SUBMIT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(8);

    private static final int SLEEP_MS = 200;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(150);
    private static final int PAGE = 1_000;

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What makes the store unavailable, and undoes it. */
    private interface Outage {
        void begin();

        void end();
    }

    @Test
    void onPostgresqlTheKilledPostmasterLosesNoJobAndRecordsNoneTwice() {
        try (KillablePostgres postgres = KillablePostgres.create()) {
            runThroughOutages(
                    new Outage() {
                        @Override
                        public void begin() {
                            postgres.kill9();
                        }

                        @Override
                        public void end() {
                            postgres.start();
                        }
                    },
                    "--database-url",
                    postgres.jdbcUrl());
        }
    }

    @Test
    void onSqliteAFullDiskLosesNoJobAndRecordsNoneTwice() {
        // The coordinator's data dir (mesh.db, its WAL and shared memory) lives on a 256 MiB tmpfs, filled to the last
        // page for the outage: SQLite's commits then fail with SQLITE_FULL, as on a full disk.
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("coordinator"), 256)) {
            runThroughOutages(new Outage() {
                @Override
                public void begin() {
                    disk.fill();
                }

                @Override
                public void end() {
                    disk.free();
                }
            });
        }
    }

    private void runThroughOutages(Outage outage, String... coordinatorArgs) {
        try (MeshCluster mesh = new MeshCluster(dir)) {
            mesh.startCoordinator(coordinatorArgs);
            mesh.startAgent("o1", "--max-concurrent", "16");
            mesh.startAgent("o2", "--max-concurrent", "16");
            EndsWaiter waiter = EndsWaiter.open(http, mesh.url(), mesh.token());
            Submitters submitters = new Submitters(http, mesh.url(), mesh.token());
            submitters.start();
            try {
                for (int round = 1; round <= OUTAGES; round++) {
                    int mid = round * JOBS / (OUTAGES + 1);
                    await().atMost(RUN_LIMIT).until(() -> submitters.accepted() >= mid);
                    outageRound(mesh, outage, "round " + round);
                }
                await().atMost(RUN_LIMIT).until(() -> submitters.accepted() == JOBS);
                await().atMost(RUN_LIMIT)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> waiter.ends().size() == JOBS || waiter.failed());
            } finally {
                submitters.stop();
                waiter.close();
            }
            assertThat(submitters.errors()).as("unexpected answers to submits").isEmpty();
            assertThat(waiter.failed())
                    .as("the /v1/events stream broke: " + waiter.failure())
                    .isFalse();
            assertThat(mesh.coordinator().isAlive())
                    .as("the coordinator ran through the outages")
                    .isTrue();
            assertThat(mesh.coordinator().count("the store is unavailable"))
                    .as("the coordinator saw each outage")
                    .isGreaterThanOrEqualTo(OUTAGES);
            checkTheStore(mesh, submitters.idsByKey(), waiter);
            System.out.printf(
                    "store outages (%s): %d jobs, each COMPLETED once; %s%n",
                    coordinatorArgs.length == 0 ? "sqlite" : "postgresql", JOBS, submitters.summary());
        }
    }

    /** One outage: the store goes down for {@link #OUTAGE}; health and submits must say so at once, then recover. */
    private void outageRound(MeshCluster mesh, Outage outage, String name) {
        long began = System.nanoTime();
        outage.begin();
        Answer down = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> get(mesh, "/healthz"), answer -> answer.status() == 503);
        assertThat(down.json().path("store").path("status").asText()).isEqualTo("unavailable");
        assertThat(down.json().path("store").path("since").asText()).as(name).isNotEmpty();

        long asked = System.nanoTime();
        Answer refused = submit(http, mesh.url(), mesh.token(), "refused-during-" + name.replace(' ', '-'));
        assertThat(refused.status())
                .as(name + ": a submit while the store is down")
                .isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
        assertThat(refused.retryAfter()).isNotNull();
        assertThat(refused.json().path("error").path("code").asText()).isEqualTo("store_unavailable");
        // Reads of jobs are refused too (the store is behind memory); the stats answer from memory.
        long read = System.nanoTime();
        assertThat(get(mesh, "/v1/jobs?limit=1").status())
                .as(name + ": a job read")
                .isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - read)).isLessThan(Duration.ofSeconds(2));
        assertThat(get(mesh, "/v1/stats").status()).as(name + ": the stats").isEqualTo(200);

        // Until the outage ends, /healthz keeps saying so.
        while (System.nanoTime() - began < OUTAGE.toNanos()) {
            assertThat(get(mesh, "/healthz").status())
                    .as(name + ": /healthz during the outage")
                    .isEqualTo(503);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        outage.end();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> get(mesh, "/healthz").status() == 200);
    }

    /** Every accepted job is COMPLETED once in the store, ended once on the stream, and the stats agree. */
    private void checkTheStore(MeshCluster mesh, Map<String, String> idsByKey, EndsWaiter waiter) {
        Set<String> accepted = new HashSet<>(idsByKey.values());
        assertThat(accepted).as("one job per idempotency key").hasSize(JOBS);
        try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
            Map<JobStatus, Integer> byStatus = new EnumMap<>(JobStatus.class);
            Set<String> stored = new HashSet<>();
            List<String> notRunOnce = new ArrayList<>();
            String cursor = null;
            for (int page = 0; page < JOBS / PAGE + 5; page++) {
                JobPage jobs = client.list(JobQuery.all().withLimit(PAGE).withCursor(cursor));
                for (Job job : jobs.jobs()) {
                    byStatus.merge(job.status(), 1, Integer::sum);
                    assertThat(stored.add(job.id()))
                            .as("job " + job.id() + " listed twice")
                            .isTrue();
                    // A rejection (agent full) is an attempt the job never ran in; every other attempt ran it.
                    List<String> ran = job.attempts().stream()
                            .map(Attempt::outcome)
                            .filter(outcome -> !outcome.equals("rejected"))
                            .toList();
                    if (!ran.equals(List.of("completed"))) {
                        notRunOnce.add(job.id() + " " + ran);
                    }
                }
                if (!jobs.hasMore()) {
                    break;
                }
                cursor = jobs.nextCursor();
            }
            assertThat(stored).as("the store holds exactly the accepted jobs").isEqualTo(accepted);
            assertThat(byStatus).isEqualTo(Map.of(JobStatus.COMPLETED, JOBS));
            assertThat(notRunOnce).as("jobs that did not run exactly once").isEmpty();

            assertThat(waiter.ends()).as("ends seen on /v1/events").containsOnlyKeys(accepted);
            assertThat(waiter.ends().values()).as("each end once, COMPLETED").containsOnly(List.of("COMPLETED"));

            JsonNode stats = get(mesh, "/v1/stats").json();
            for (JobStatus status : JobStatus.values()) {
                assertThat(stats.path("jobs").path(status.name()).asLong())
                        .as("/v1/stats " + status)
                        .isEqualTo(byStatus.getOrDefault(status, 0).longValue());
            }
            assertThat(stats.path("total").asLong()).isEqualTo(JOBS);

            List<String> ids = new ArrayList<>(accepted);
            for (int i = 0; i < ids.size(); i += 25) {
                List<JobEvent> events;
                try (var stream = client.recordedEvents(ids.get(i))) {
                    events = stream.stream().toList();
                }
                assertThat(events.stream().filter(e -> e.kind() == JobEvent.Kind.END))
                        .as("end events of " + ids.get(i))
                        .singleElement()
                        .extracting(JobEvent::status)
                        .isEqualTo(JobStatus.COMPLETED);
            }
        }
    }

    private Answer get(MeshCluster mesh, String path) {
        return send(
                http,
                HttpRequest.newBuilder(URI.create(mesh.url() + path))
                        .header("Authorization", "Bearer " + mesh.token())
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build());
    }

    static Answer submit(HttpClient http, String url, String token, String key) {
        String spec = "{\"type\":\"sleep\",\"payload\":{\"ms\":" + SLEEP_MS + "}}";
        return send(
                http,
                HttpRequest.newBuilder(URI.create(url + "/v1/jobs"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .timeout(Duration.ofSeconds(40))
                        .POST(HttpRequest.BodyPublishers.ofString(spec))
                        .build());
    }

    static Answer send(HttpClient http, HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null),
                    response.body());
        } catch (IOException e) {
            return new Answer(0, null, String.valueOf(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, "interrupted");
        }
    }

    /** An HTTP answer (status 0 if none came). */
    record Answer(int status, String retryAfter, String body) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /**
     * Four clients submitting {@link #JOBS} jobs, paced, each with its own idempotency key and retried (after a 503 or
     * no answer) until the coordinator accepts it: a client that follows the 503's advice.
     */
    private static final class Submitters {
        private static final int THREADS = 4;
        private final HttpClient http;
        private final String url;
        private final String token;
        private final AtomicInteger next = new AtomicInteger();
        private final Map<String, String> idsByKey = new ConcurrentHashMap<>();
        private final List<String> errors = new CopyOnWriteArrayList<>();
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicInteger queuedWhenRefused = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private long startNanos;

        Submitters(HttpClient http, String url, String token) {
            this.http = http;
            this.url = url;
            this.token = token;
        }

        void start() {
            startNanos = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                threads.add(Thread.ofVirtual().name("submitter-" + t).start(this::run));
            }
        }

        private void run() {
            long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
            for (int i = next.getAndIncrement(); i < JOBS && !stop.get(); i = next.getAndIncrement()) {
                LockSupport.parkNanos(startNanos + i * SUBMIT_EVERY_NANOS - System.nanoTime());
                String key = "job-" + i;
                while (!stop.get() && System.nanoTime() < deadline) {
                    Answer answer = submit(http, url, token, key);
                    if (answer.status() == 201 || answer.status() == 200) {
                        String id = answer.json().path("id").asText();
                        String earlier = idsByKey.putIfAbsent(key, id);
                        if (earlier != null && !earlier.equals(id)) {
                            errors.add(key + " answered " + earlier + " and then " + id);
                        }
                        break;
                    }
                    if (answer.status() == 503) {
                        refused.incrementAndGet();
                        if (answer.body().contains("is queued and will be stored")) {
                            queuedWhenRefused.incrementAndGet(); // its retry must answer the queued job
                        }
                    }
                    if (answer.status() == 503 && answer.retryAfter() == null) {
                        errors.add(key + ": a 503 without Retry-After: " + answer.body());
                    } else if (answer.status() != 503 && answer.status() != 0) {
                        errors.add(key + ": " + answer.status() + " " + answer.body());
                        break;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // the client's back-off
                }
            }
        }

        int accepted() {
            return idsByKey.size();
        }

        String summary() {
            return refused.get() + " submits answered 503, " + queuedWhenRefused.get()
                    + " of them after their job was queued";
        }

        Map<String, String> idsByKey() {
            return idsByKey;
        }

        List<String> errors() {
            return errors;
        }

        void stop() {
            stop.set(true);
            threads.forEach(t -> {
                try {
                    t.join(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** A client waiting on {@code GET /v1/events}: the ends it saw, by job id, in order. */
    private static final class EndsWaiter implements AutoCloseable {
        private final Map<String, List<String>> ends = new ConcurrentHashMap<>();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile String failure;
        private volatile Stream<String> body;
        private Thread reader;

        static EndsWaiter open(HttpClient http, String url, String token) {
            EndsWaiter waiter = new EndsWaiter();
            AtomicBoolean ready = new AtomicBoolean();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/events"))
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build();
            waiter.reader = Thread.ofVirtual().name("ends-waiter").start(() -> waiter.read(http, request, ready));
            await().atMost(Duration.ofSeconds(30)).until(() -> ready.get() || waiter.failed());
            assertThat(waiter.failure).isNull();
            return waiter;
        }

        private void read(HttpClient http, HttpRequest request, AtomicBoolean ready) {
            try {
                HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    failure = "status " + response.statusCode();
                    return;
                }
                body = response.body();
                String event = null;
                for (String line : (Iterable<String>) body::iterator) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ") && event != null) {
                        if (event.equals("ready")) {
                            ready.set(true);
                        } else if (event.equals("end")) {
                            JsonNode job = Json.mapper().readTree(line.substring(6));
                            ends.computeIfAbsent(job.path("id").asText(), id -> new CopyOnWriteArrayList<>())
                                    .add(job.path("status").asText());
                        }
                        event = null;
                    }
                }
                if (!closed.get()) {
                    failure = "the stream ended";
                }
            } catch (IOException | RuntimeException e) {
                if (!closed.get()) {
                    failure = String.valueOf(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        Map<String, List<String>> ends() {
            return ends;
        }

        boolean failed() {
            return failure != null;
        }

        String failure() {
            return failure;
        }

        @Override
        public void close() {
            closed.set(true);
            Stream<String> lines = body;
            if (lines != null) {
                lines.close();
            }
            reader.interrupt();
        }
    }
}
