package org.planetarymesh.coordinator.scheduler;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.gateway.NodeLink;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.store.Database;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobStore;

/**
 * A scheduler on a fake clock, turned by the test on its own thread, with fake node links that record what they are
 * sent, over a real SQLite store in a temporary directory: its rules run in milliseconds, with no network and no
 * waiting for real time.
 */
final class SchedulerHarness implements AutoCloseable {

    /** Health timings: heartbeat 1 s, suspect after 3 s, dead after 6 s; recovery grace 10 s. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    static final Duration SUSPECT_AFTER = Duration.ofSeconds(3);
    static final Duration DEAD_AFTER = Duration.ofSeconds(6);

    final FakeClock clock = new FakeClock();
    final Database database;
    final GroupCommitWriter writer;
    final Scheduler scheduler;

    SchedulerHarness(Path dir) {
        this(dir, c -> c);
    }

    SchedulerHarness(Path dir, java.util.function.UnaryOperator<CoordinatorConfig> tweak) {
        CoordinatorConfig config = tweak.apply(CoordinatorConfig.defaults(dir)
                .withHealth(HEARTBEAT, SUSPECT_AFTER, DEAD_AFTER)
                .withRecoveryGrace(Duration.ofSeconds(10)));
        database = Database.sqlite(dir);
        writer = new GroupCommitWriter(database.jobs(), 1_000);
        scheduler = new Scheduler(config, database.jobs(), writer, new JobEventHub(), clock, clock::nanos);
        scheduler.load();
        turn();
    }

    JobStore store() {
        return database.jobs();
    }

    /** Runs loop turns until nothing is left to handle. */
    void turn() {
        scheduler.runPending();
    }

    /** Moves both clocks forward and runs the turns that causes (timers due). */
    void advance(Duration by) {
        clock.advance(by);
        turn();
    }

    /**
     * Moves both clocks forward in steps of at most half a second, with each of {@code alive} heartbeating at every
     * step (before the step's timers fire), as live agents would.
     */
    void advance(Duration by, FakeNode... alive) {
        Duration left = by;
        while (!left.isZero()) {
            Duration step = left.compareTo(HEARTBEAT_STEP) < 0 ? left : HEARTBEAT_STEP;
            left = left.minus(step);
            clock.advance(step);
            for (FakeNode node : alive) {
                scheduler.fromNode(node.id, node, List.of(new Message.Heartbeat(0, List.of(), 0, null)));
            }
            turn();
        }
    }

    private static final Duration HEARTBEAT_STEP = Duration.ofMillis(500);

    /** Stores a job from its JSON spec (as the API does), hands it to the scheduler and runs a turn. */
    Job submit(String specJson) {
        Job job = Job.submitted(JobIds.next(), JobSpecParser.parse(json(specJson), clock.instant()), clock.instant());
        writer.submitAll(List.of(
                        new JobStore.Write.Insert(job), new JobStore.Write.AppendEvent(JobEvent.status(job, 1))))
                .join();
        scheduler.submitted(List.of(job));
        turn();
        return job;
    }

    /** A node with {@code slots} slots running {@code types}, connected through a fake link. */
    FakeNode connect(String id, int slots, String... types) {
        return connect(id, slots, List.of(), types);
    }

    /** A node that says in its hello which attempts it still runs (an agent reconnecting after a restart). */
    FakeNode connect(String id, int slots, List<Message.RunningJob> running, String... types) {
        return connect(id, slots, running, HEARTBEAT, types);
    }

    /** A node told to heartbeat every {@code interval} (as the gateway paces agents joining a large mesh). */
    FakeNode connect(String id, int slots, List<Message.RunningJob> running, Duration interval, String... types) {
        FakeNode node = new FakeNode(id);
        Message.Hello hello = new Message.Hello(
                id,
                id,
                List.of(types),
                List.of(types),
                List.of(),
                slots,
                null,
                Map.of(),
                Map.of(),
                null,
                null,
                running);
        scheduler.nodeConnected(node, hello, interval);
        turn();
        return node;
    }

    /** A node that introduces itself with {@code hello}, on a link that is the coordinator's own if {@code local}. */
    FakeNode connect(Message.Hello hello, boolean local) {
        FakeNode node = new FakeNode(hello.nodeId());
        node.local = local;
        scheduler.nodeConnected(node, hello, HEARTBEAT);
        turn();
        return node;
    }

    /** A node that introduces itself with {@code hello} (a keyed node, say), connected through a fake link. */
    FakeNode connect(Message.Hello hello) {
        FakeNode node = new FakeNode(hello.nodeId());
        scheduler.nodeConnected(node, hello, HEARTBEAT);
        turn();
        return node;
    }

    /** The job as the scheduler holds it if it is active, else as committed in the store. */
    Job job(String id) {
        Job active = scheduler.activeJob(id);
        if (active != null) {
            return active;
        }
        settle();
        return store().find(id).orElseThrow();
    }

    /** Waits for everything the scheduler handed to the writer so far to commit (or fail). */
    void settle() {
        try {
            scheduler.lastCommit().handle((ok, error) -> null).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        writer.close();
        database.close();
    }

    /** Wall and monotonic time that move only when the test says so. */
    static final class FakeClock implements InstantSource {
        private Instant wall = Instant.parse("2026-12-01T12:00:00Z");
        private long nanos = 1_000_000_000_000L;

        @Override
        public Instant instant() {
            return wall;
        }

        long nanos() {
            return nanos;
        }

        void advance(Duration by) {
            wall = wall.plus(by);
            nanos += by.toNanos();
        }
    }

    /** A node's link that records what the scheduler sends it; the test plays the node by sending its reports. */
    final class FakeNode implements NodeLink {
        final String id;
        final List<Message> sent = new ArrayList<>();
        String closedBecause;
        /** Whether this link is the coordinator's own (as a proven configured key makes it). */
        boolean local;

        @Override
        public boolean local() {
            return local;
        }

        FakeNode(String id) {
            this.id = id;
        }

        @Override
        public void send(Message message) {
            sent.add(message);
        }

        @Override
        public void close(String reason) {
            closedBecause = reason;
        }

        @Override
        public String mode() {
            return "websocket";
        }

        @Override
        public String address() {
            return "fake:" + id;
        }

        /** Sends {@code messages} as one frame from this node and runs the turns it causes. */
        void report(Message... messages) {
            scheduler.fromNode(id, this, List.of(messages));
            turn();
        }

        void heartbeat(String... running) {
            report(new Message.Heartbeat(0, List.of(running), 0, null));
        }

        void disconnect() {
            scheduler.nodeDisconnected(id, this);
            turn();
        }

        /** The assignments this node received, in order. */
        List<Message.AssignJob> assignments() {
            return sent.stream()
                    .filter(Message.AssignJob.class::isInstance)
                    .map(Message.AssignJob.class::cast)
                    .toList();
        }

        Message.AssignJob lastAssignment() {
            List<Message.AssignJob> all = assignments();
            return all.isEmpty() ? null : all.getLast();
        }

        List<Message.JobCancel> cancels() {
            return sent.stream()
                    .filter(Message.JobCancel.class::isInstance)
                    .map(Message.JobCancel.class::cast)
                    .toList();
        }

        void done(Message.AssignJob a) {
            report(new Message.JobDone(a.jobId(), a.attempt(), json("{\"ok\":true}"), null, 1, null, null, null));
        }

        void fail(Message.AssignJob a, String code, boolean retryable) {
            report(new Message.JobError(a.jobId(), a.attempt(), code, code + " happened", retryable, 0));
        }
    }

    static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** For a future handed back by the scheduler: its value once it completes, within a few seconds. */
    static <T> T result(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }
}
