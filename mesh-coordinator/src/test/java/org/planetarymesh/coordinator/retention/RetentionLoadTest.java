package org.planetarymesh.coordinator.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.agent.RawAgent;

/**
 * 100,000 echo jobs through a real coordinator on SQLite and a light agent on a raw socket, with retention keeping at
 * most 2,000 completed jobs: the store must stay bounded (sizes printed), and dispatch must not pause while the sweep
 * deletes (the longest gap between assignments the agent receives while a backlog waits is printed and checked).
 */
class RetentionLoadTest {

    private static final int JOBS = 100_000;
    private static final int BATCH = 1_000;
    private static final int BACKLOG = 5_000; // queued ahead of the agent, so every gap is the coordinator's
    private static final int KEEP = 2_000;
    private static final int SLOTS = 1_000;
    private static final int SUBMITTERS = 1;

    @TempDir
    Path dir;

    @Test
    void storeStaysBoundedOver100000JobsAndDispatchNeverPauses() throws Exception {
        RetentionPolicy policy =
                RetentionPolicy.KEEP_ALL.withCompleted(Duration.ZERO, KEEP).withSweep(Duration.ofMillis(100), 500);
        CoordinatorConfig config = CoordinatorConfig.defaults(dir)
                .withPort(0)
                .withRequireAgentKey(false)
                .withRetention(policy);
        try (Coordinator coordinator = Coordinator.start(config);
                LightAgent agent = new LightAgent(coordinator)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> coordinator.scheduler().nodes().size() == 1);
            long before = storeBytes();
            HttpClient http = HttpClient.newHttpClient();
            String batch = batchBody();
            long started = System.nanoTime();
            AtomicInteger submitted = new AtomicInteger();
            long[] atTwenty = new long[1];
            List<Thread> submitters = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            for (int t = 0; t < SUBMITTERS; t++) {
                submitters.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (submitted.get() < JOBS && System.nanoTime() - started < 150_000_000_000L) {
                            if (submitted.get() - agent.done.get() >= BACKLOG) {
                                Thread.sleep(1);
                                continue;
                            }
                            if (submitted.getAndAdd(BATCH) >= JOBS) {
                                break;
                            }
                            HttpResponse<String> answer = http.send(
                                    HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/jobs/batch"))
                                            .header("Authorization", "Bearer " + coordinator.adminToken())
                                            .header("Content-Type", "application/json")
                                            .timeout(Duration.ofSeconds(30))
                                            .POST(HttpRequest.BodyPublishers.ofString(batch))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
                            if (agent.done.get() >= 20_000 && atTwenty[0] == 0) {
                                atTwenty[0] = Files.size(dir.resolve("mesh.db"));
                                System.out.printf(
                                        "at 20,000 jobs done: %d jobs stored, %d pages, %d free%n",
                                        storedJobs(), pragma("page_count"), pragma("freelist_count"));
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }));
            }
            for (Thread submitter : submitters) {
                submitter.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(submitted.get())
                    .as("all submitted within the time bound")
                    .isGreaterThanOrEqualTo(JOBS);
            long atTwentyThousand = atTwenty[0];
            await().atMost(Duration.ofSeconds(60)).until(() -> storedJobs() <= KEEP);
            long after = Files.size(dir.resolve("mesh.db"));
            long wal = storeBytes() - after;
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            long longestGap = agent.longestGapMillis(JOBS - BACKLOG);
            System.out.printf(
                    "db %,d wal %,d pages %d free %d gaps>50ms %s%n",
                    Files.size(dir.resolve("mesh.db")),
                    Files.exists(dir.resolve("mesh.db-wal")) ? Files.size(dir.resolve("mesh.db-wal")) : 0,
                    pragma("page_count"),
                    pragma("freelist_count"),
                    agent.gapsOver(50, JOBS - BACKLOG));
            System.out.printf(
                    "retention over %,d jobs in %d s: mesh.db %,d bytes before, %,d at 20,000 jobs, %,d after (WAL %,d);"
                            + " %,d jobs, %,d events, %,d node index entries left; sweep deleted %,d;"
                            + " longest gap between assignments with a backlog waiting: %d ms%n",
                    JOBS,
                    seconds,
                    before,
                    atTwentyThousand,
                    after,
                    wal,
                    storedJobs(),
                    count("job_events"),
                    count("node_jobs") + count("node_jobs_pending"),
                    coordinator.retentionDeleted(),
                    longestGap);
            assertThat(storedJobs()).isLessThanOrEqualTo(KEEP);
            assertThat(count("job_events e WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = e.job_id)"))
                    .as("events of deleted jobs")
                    .isZero();
            assertThat(count("node_jobs n WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = n.job_id)"))
                    .as("node index entries of deleted jobs")
                    .isZero();
            assertThat(count("node_jobs") + count("node_jobs_pending")).isLessThanOrEqualTo(60_000);
            // Bounded: the file after 100,000 jobs is no larger than it was at 20,000 plus a margin, where without
            // retention it would be five times that.
            assertThat(after).isLessThan(Math.max(atTwentyThousand, before) * 3 / 2 + (4 << 20));
            assertThat(wal).as("the WAL, reset at each checkpoint").isLessThan(64L << 20);
            // Dispatch runs on the scheduler thread, which does no retention work; on a machine running several times
            // more threads than it has cores every thread waits for one, and gaps measure that wait, not the sweep.
            double loadPerCore = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage()
                    / Runtime.getRuntime().availableProcessors();
            // The figure is ~50 ms (BENCHMARKS.md records the measured gap); this guard catches a sweep that
            // stalls dispatch (a delete batch holding the writer: hundreds of ms), not a GC pause of 51 ms on 2 cores.
            if (loadPerCore <= 1.5) {
                assertThat(longestGap).as("longest dispatch gap (ms)").isLessThanOrEqualTo(100);
            } else {
                System.out.printf(
                        "dispatch gap NOT CHECKED: load average %.1f per core (over 1.5) makes gaps measure the"
                                + " machine's run queue%n",
                        loadPerCore);
            }
        }
    }

    private static long countDeleted(Coordinator coordinator) {
        return coordinator.retentionDeleted();
    }

    private String batchBody() {
        StringBuilder body = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < BATCH; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"echo\",\"payload\":{\"i\":")
                    .append(i)
                    .append("}}");
        }
        return body.append("]}").toString();
    }

    private long storeBytes() throws Exception {
        long total = 0;
        for (String name : List.of("mesh.db", "mesh.db-wal")) {
            Path file = dir.resolve(name);
            total += Files.exists(file) ? Files.size(file) : 0;
        }
        return total;
    }

    private long storedJobs() throws Exception {
        return count("jobs");
    }

    private long pragma(String name) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mesh.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long count(String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mesh.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * An agent on a raw socket that completes every assignment at once from a thread of its own, and records when each
     * assignment arrived.
     */
    private static final class LightAgent implements AutoCloseable {
        final AtomicInteger done = new AtomicInteger();
        private final long[] arrivals = new long[JOBS + 1_000];
        // Whether every slot was taken, or no job waited, when the assignment arrived: then the gap after it is the
        // agent's or the submitter's, not dispatch's.
        private final boolean[] full = new boolean[JOBS + 1_000];
        private final AtomicInteger received = new AtomicInteger();
        private final LinkedBlockingQueue<Message> outbox = new LinkedBlockingQueue<>();
        private final RawAgent socket;
        private final Coordinator coordinator;
        private final Thread sender;

        LightAgent(Coordinator coordinator) throws Exception {
            this.coordinator = coordinator;
            socket = RawAgent.listen(coordinator.url(), coordinator.adminToken(), this::receive);
            socket.send(RawAgent.hello("light", "light", List.of("echo"), SLOTS, null));
            sender = Thread.ofPlatform().daemon().start(this::send);
        }

        private void receive(Message message) {
            if (message instanceof Message.AssignJob assign) {
                int n = received.getAndIncrement();
                if (n < arrivals.length) {
                    arrivals[n] = System.nanoTime();
                    full[n] = n + 1 - done.get() >= SLOTS
                            || coordinator.scheduler().counts().get(JobStatus.QUEUED) == 0;
                }
                outbox.add(new Message.JobDone(
                        assign.jobId(), assign.attempt(), assign.payload(), null, 1, "echo", "exact", null));
            }
        }

        private void send() {
            long lastHeartbeat = 0;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Message next = outbox.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (next != null) {
                        List<Message> frame = new java.util.ArrayList<>();
                        frame.add(next);
                        outbox.drainTo(frame, 999);
                        socket.sendText(RawAgent.CODEC.encodeBatch(frame));
                        done.addAndGet(frame.size());
                    }
                    if (System.nanoTime() - lastHeartbeat > 300_000_000L) {
                        socket.send(new Message.Heartbeat(0, List.of(), 0, null));
                        lastHeartbeat = System.nanoTime();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Where the gaps over {@code millis} were: index and length. */
        String gapsOver(long millis, int count) {
            StringBuilder s = new StringBuilder();
            for (int i = 1; i < Math.min(count, received.get()); i++) {
                long gap = (arrivals[i] - arrivals[i - 1]) / 1_000_000;
                if (gap > millis && !full[i - 1]) {
                    s.append(i).append(':').append(gap).append("ms ");
                }
            }
            return s.toString();
        }

        /** The longest gap between consecutive assignments among the first {@code count}. */
        long longestGapMillis(int count) {
            long longest = 0;
            for (int i = 1; i < Math.min(count, received.get()); i++) {
                if (!full[i - 1]) {
                    longest = Math.max(longest, arrivals[i] - arrivals[i - 1]);
                }
            }
            return longest / 1_000_000;
        }

        @Override
        public void close() {
            sender.interrupt();
            socket.close();
        }
    }
}
