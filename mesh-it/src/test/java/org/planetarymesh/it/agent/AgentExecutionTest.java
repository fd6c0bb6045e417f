package org.planetarymesh.it.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.Chunks;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/** Shell, sleep and http jobs on real agent processes: cancel, timeout, streaming and allow-lists. */
class AgentExecutionTest {
    private static final Map<String, String> WORKER = Map.of("role", "worker");
    private static final Map<String, String> LOCKED = Map.of("role", "locked");

    @TempDir
    static Path dir;

    static MeshCluster mesh;
    static MeshProcess worker;
    static MeshClient client;

    @BeforeAll
    static void startMesh() {
        mesh = new MeshCluster(dir);
        mesh.startCoordinator();
        worker = mesh.startAgent(
                "worker", "--allow-shell", "sh,sleep", "--labels", "role=worker", "--max-concurrent", "4");
        // No --allow-shell; http allowed to one host only, which is not the one the test asks for.
        mesh.startAgent("locked", "--allow-http", "allowed.example", "--labels", "role=locked");
        client = MeshClient.connect(mesh.url(), mesh.token());
    }

    @AfterAll
    static void stopMesh() {
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void aShellJobCancelledWhileRunningLeavesNoProcessBehind() {
        Job job = client.submit(
                Jobs.once("shell", "{\"command\":[\"sh\",\"-c\",\"sleep 60 & sleep 60 & wait\"]}", WORKER));
        ProcessHandle agent = ProcessHandle.of(worker.pid()).orElseThrow();
        List<ProcessHandle> children = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            children.clear();
            children.addAll(agent.descendants().toList());
            // sh and its two sleeps
            return client.get(job.id()).status() == JobStatus.RUNNING && children.size() >= 3;
        });
        List<Long> pids = children.stream().map(ProcessHandle::pid).toList();

        Job cancelled = client.cancel(job.id());

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(pids)
                        .as("pids of the shell job's process tree")
                        .noneMatch(pid -> ProcessHandle.of(pid)
                                .map(ProcessHandle::isAlive)
                                .orElse(false)));
        assertThat(client.get(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void aJobPastItsTimeoutIsReportedTimeoutAndStoppedOnTheAgent() {
        Job job = client.submit(Jobs.once("sleep", "{\"ms\":30000}", WORKER).withTimeoutMs(500L));

        Job done = client.await(job.id(), Duration.ofSeconds(30));

        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.error().code()).isEqualTo("timeout");
        assertThat(done.attempts()).hasSize(1);
        assertThat(done.attempts().getFirst().outcome()).isEqualTo("timeout");
        int port = Jobs.localApiPort(worker);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Jobs.json(Jobs.get("http://127.0.0.1:" + port + "/healthz")
                                        .body())
                                .path("load")
                                .asDouble())
                        .as("the agent freed the slot: the sleep was stopped, not left running")
                        .isZero());
    }

    @Test
    void streamedChunksArriveInOrderAndTheStreamEndsCompleted() {
        Job job = client.submit(Jobs.once(
                "shell", "{\"command\":[\"sh\",\"-c\",\"for i in $(seq 1 200); do echo line-$i; done\"]}", WORKER));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        List<JobEvent> events = new ArrayList<>();

        try (var stream = client.events(job.id())) {
            // The stream ends after the job's end event; the Awaitility bound below catches a stream that never ends.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                while (stream.hasNext()) {
                    JobEvent event = stream.next();
                    events.add(event);
                    if (event.kind() == JobEvent.Kind.CHUNK && !"stderr".equals(event.stream())) {
                        stdout.writeBytes(Chunks.bytes(event));
                    }
                }
                return true;
            });
        }

        String expected =
                IntStream.rangeClosed(1, 200).mapToObj(i -> "line-" + i + "\n").collect(Collectors.joining());
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        List<Long> chunkSeqs = events.stream()
                .filter(e -> e.kind() == JobEvent.Kind.CHUNK)
                .map(JobEvent::chunkSeq)
                .toList();
        assertThat(chunkSeqs).isNotEmpty().isSorted().doesNotHaveDuplicates();
        assertThat(events.getLast().kind()).isEqualTo(JobEvent.Kind.END);
        assertThat(events.getLast().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(events.stream().filter(e -> e.kind() == JobEvent.Kind.END)).hasSize(1);
    }

    @Test
    void aShellJobIsRefusedWithAClearErrorWhenTheAgentDoesNotAllowShell() {
        Job job = client.submit(Jobs.once("shell", "{\"command\":[\"echo\",\"hi\"]}", LOCKED));

        Job done = client.await(job.id(), Duration.ofSeconds(30));

        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.error().code()).isEqualTo("unsupported");
        assertThat(done.error().message()).contains("--allow-shell");
    }

    @Test
    void anHttpJobToAHostOffTheAllowListIsRefused() {
        Job job = client.submit(Jobs.once("http", "{\"url\":\"" + mesh.url() + "/healthz\"}", LOCKED));

        Job done = client.await(job.id(), Duration.ofSeconds(30));

        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.error().code()).isEqualTo("unsupported");
        assertThat(done.error().message())
                .contains("127.0.0.1")
                .contains("allow-list")
                .contains("--allow-http");
        assertThat(done.result()).isNull();
    }
}
