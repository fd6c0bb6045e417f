package org.planetarymesh.coordinator;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.agent.RawAgent;

/**
 * A protocol-level agent for coordinator tests: the test kit's agent socket (a real WebSocket speaking wire protocol
 * v1) plus heartbeats, with a reaction to each {@code assign_job} the test chooses. It lets coordinator tests drive
 * exact sequences (a stale report, a crash mid-job) that a full agent would not produce on demand.
 */
final class ProtocolAgent implements AutoCloseable {

    private final String nodeId;
    private final Message.Hello hello;
    private final Queue<Message> received = new ConcurrentLinkedQueue<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final BiConsumer<ProtocolAgent, Message.AssignJob> onAssign;
    private final RawAgent socket;
    private final Thread heartbeats;
    private volatile boolean heartbeating = true;

    private ProtocolAgent(
            String url, String token, Message.Hello hello, BiConsumer<ProtocolAgent, Message.AssignJob> onAssign)
            throws Exception {
        this.nodeId = hello.nodeId();
        this.hello = hello;
        this.onAssign = onAssign;
        this.socket = RawAgent.listen(url, token, this::receive);
        send(hello);
        this.heartbeats = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(200);
                    synchronized (socket) {
                        if (heartbeating) {
                            // As a real agent does, each heartbeat repeats what it advertises for inference.
                            send(new Message.Heartbeat(
                                    running.size(),
                                    List.copyOf(running),
                                    0,
                                    null,
                                    this.hello.modelStates(),
                                    this.hello.maxInference(),
                                    this.hello.tokensPerSecond()));
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static ProtocolAgent connect(
            Coordinator coordinator,
            String nodeId,
            List<String> executors,
            int maxConcurrent,
            BiConsumer<ProtocolAgent, Message.AssignJob> onAssign)
            throws Exception {
        return connect(coordinator, hello(nodeId, executors, maxConcurrent, Map.of(), List.of()), onAssign);
    }

    static ProtocolAgent connect(
            Coordinator coordinator, Message.Hello hello, BiConsumer<ProtocolAgent, Message.AssignJob> onAssign)
            throws Exception {
        return new ProtocolAgent(coordinator.url(), coordinator.adminToken(), hello, onAssign);
    }

    static Message.Hello hello(
            String nodeId,
            List<String> executors,
            int maxConcurrent,
            Map<String, String> labels,
            List<Message.RunningJob> running) {
        return new Message.Hello(
                nodeId,
                nodeId,
                List.of(),
                executors,
                List.of(),
                maxConcurrent,
                null,
                labels,
                Map.of(),
                null,
                null,
                running);
    }

    /** Completes an assignment with {@code result} as an echo would. */
    static void echo(ProtocolAgent agent, Message.AssignJob assign) {
        agent.send(new Message.JobAccepted(assign.jobId(), assign.attempt()));
        agent.send(new Message.JobDone(
                assign.jobId(), assign.attempt(), assign.payload(), null, 1, "echo", "exact", null));
    }

    /** Accepts and keeps the job running until the test says otherwise. */
    static void hold(ProtocolAgent agent, Message.AssignJob assign) {
        agent.running.add(assign.jobId());
        agent.send(new Message.JobAccepted(assign.jobId(), assign.attempt()));
    }

    /** Answers every attempt with a {@code job_error} of the given retryability. */
    static BiConsumer<ProtocolAgent, Message.AssignJob> failing(boolean retryable) {
        return (agent, assign) -> {
            agent.send(new Message.JobAccepted(assign.jobId(), assign.attempt()));
            agent.send(new Message.JobError(assign.jobId(), assign.attempt(), "executor_error", "boom", retryable, 0));
        };
    }

    /** Completes every attempt with {@code result}, so a test can tell which node's report was recorded. */
    static BiConsumer<ProtocolAgent, Message.AssignJob> answering(JsonNode result) {
        return (agent, assign) -> {
            agent.send(new Message.JobAccepted(assign.jobId(), assign.attempt()));
            agent.send(new Message.JobDone(assign.jobId(), assign.attempt(), result, null, 1, "echo", "exact", null));
        };
    }

    /** Waits until the coordinator has assigned attempt {@code attempt} of {@code jobId} here. */
    Message.AssignJob awaitAssignment(String jobId, int attempt) {
        return await().atMost(shortly())
                .until(
                        () -> assignments().stream()
                                .filter(a -> a.jobId().equals(jobId) && a.attempt() == attempt)
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    /** Keeps the socket open but goes silent: no more heartbeats. */
    void stopHeartbeating() {
        synchronized (socket) {
            heartbeating = false;
        }
    }

    void send(Message message) {
        synchronized (socket) {
            socket.send(message);
        }
    }

    void finish(Message.AssignJob assign) {
        running.remove(assign.jobId());
        send(new Message.JobDone(assign.jobId(), assign.attempt(), assign.payload(), null, 1, "echo", "exact", null));
    }

    String nodeId() {
        return nodeId;
    }

    Queue<Message> received() {
        return received;
    }

    List<Message.AssignJob> assignments() {
        return received.stream()
                .filter(Message.AssignJob.class::isInstance)
                .map(Message.AssignJob.class::cast)
                .toList();
    }

    List<Message.JobCancel> cancels() {
        return received.stream()
                .filter(Message.JobCancel.class::isInstance)
                .map(Message.JobCancel.class::cast)
                .toList();
    }

    /** Simulates a crashed agent: no more heartbeats, connection dropped without a close handshake. */
    void crash() {
        heartbeating = false;
        heartbeats.interrupt();
        socket.close();
    }

    @Override
    public void close() {
        heartbeats.interrupt();
        socket.close();
    }

    private void receive(Message message) {
        received.add(message);
        if (message instanceof Message.AssignJob assign) {
            Thread.ofVirtual().start(() -> onAssign.accept(this, assign));
        }
    }

    static Duration shortly() {
        return Duration.ofSeconds(10);
    }
}
