package org.planetarymesh.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.AwaitTimeoutException;
import org.planetarymesh.client.Chunks;
import org.planetarymesh.client.ConflictException;
import org.planetarymesh.client.ErrorDetail;
import org.planetarymesh.client.InvalidRequestException;
import org.planetarymesh.client.JobEventStream;
import org.planetarymesh.client.JobPage;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshClientOptions;
import org.planetarymesh.client.MeshUnavailableException;
import org.planetarymesh.client.NotFoundException;
import org.planetarymesh.client.UnauthorizedException;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.node.NodeStatus;
import org.planetarymesh.it.MeshCluster;

/**
 * Every public method of {@link MeshClient} against a real {@code mesh coordinator} process and a real
 * {@code mesh agent} process (which may run {@code echo} as a shell command, so jobs stream output chunks).
 */
class MeshClientTest {

    private static final Duration DONE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static MeshCluster mesh;
    private static String url;
    private static String token;
    private static MeshClient client;

    @BeforeAll
    static void startMesh() {
        mesh = new MeshCluster(dir);
        mesh.startCoordinator();
        url = mesh.url();
        token = mesh.token();
        mesh.startAgent("sdk-agent", "--allow-shell", "echo", "--max-concurrent", "4");
        client = MeshClient.connect(url, token);
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

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JobSpec echo(String tag) {
        return JobSpec.of("echo", Json.mapper().createObjectNode().put("tag", tag));
    }

    private static JobSpec sleep(long ms) {
        return JobSpec.of("sleep", Json.mapper().createObjectNode().put("ms", ms));
    }

    @Test
    void connectAcceptsAPortOnlyAddressAndTalksToTheCoordinator() {
        String port = url.substring(url.lastIndexOf(':'));
        try (MeshClient shortcut = MeshClient.connect(port, token)) {
            assertThat(shortcut.baseUrl()).endsWith(port).startsWith("http://");
            assertThat(shortcut.healthy()).isTrue();
            assertThat(shortcut.nodes()).isNotEmpty();
        }
        try (MeshClient withOptions =
                MeshClient.connect(MeshClientOptions.of(url, token).withPollInterval(Duration.ofMillis(100)))) {
            assertThat(withOptions.baseUrl()).isEqualTo(url);
            assertThat(withOptions
                            .get(withOptions.submit(echo("options")).id())
                            .spec()
                            .type())
                    .isEqualTo("echo");
        }
    }

    @Test
    void submitStoresTheJobAndGetReturnsIt() {
        Job submitted = client.submit(echo("submit"));

        assertThat(submitted.id()).isNotBlank();
        assertThat(submitted.status())
                .isIn(JobStatus.QUEUED, JobStatus.PENDING, JobStatus.ASSIGNED, JobStatus.RUNNING, JobStatus.COMPLETED);
        Job read = client.get(submitted.id());
        assertThat(read.id()).isEqualTo(submitted.id());
        assertThat(read.spec().payload().path("tag").asText()).isEqualTo("submit");
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstJobAndRefusesAnotherSpec() {
        String key = "order-" + UUID.randomUUID();

        Job first = client.submit(echo("idem-1"), key);
        Job second = client.submit(echo("idem-1"), key);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.spec().payload().path("tag").asText()).isEqualTo("idem-1");
        assertThatThrownBy(() -> client.submit(echo("idem-2"), key))
                .isInstanceOf(org.planetarymesh.client.ConflictException.class)
                .hasMessageContaining("already used for job " + first.id());
        Job other = client.submit(echo("idem-3"), key + "-other");
        assertThat(other.id()).isNotEqualTo(first.id());
    }

    @Test
    void submitAllReturnsIdsInTheOrderOfTheSpecs() {
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            specs.add(echo("batch-" + i));
        }

        List<String> ids = client.submitAll(specs);

        assertThat(ids).hasSize(5).doesNotHaveDuplicates();
        for (int i = 0; i < 5; i++) {
            Job done = client.await(ids.get(i), DONE);
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.result().path("tag").asText()).isEqualTo("batch-" + i);
        }
    }

    @Test
    void submitAllIsAllOrNothingAndSaysWhichSpecIsWrong() {
        long before = client.list(JobQuery.all().withType("echo").withLimit(1000))
                .jobs()
                .size();
        List<JobSpec> specs = List.of(echo("ok"), echo("bad").withRetry(new RetryPolicy(0, null)));

        assertThatThrownBy(() -> client.submitAll(specs)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.details()).anySatisfy(d -> {
                assertThat(d.index()).isEqualTo(1);
                assertThat(d.field()).isEqualTo("retry.max_attempts");
            });
        });
        assertThat(client.list(JobQuery.all().withType("echo").withLimit(1000)).jobs())
                .hasSize((int) before);
    }

    @Test
    void listFiltersByStatusAndTypeAndPagesWithACursor() {
        List<String> ids = client.submitAll(
                List.of(echo("page-0"), echo("page-1"), echo("page-2"), echo("page-3"), echo("page-4")));
        ids.forEach(id -> assertThat(client.await(id, DONE).status()).isEqualTo(JobStatus.COMPLETED));
        Job running = client.submit(sleep(30_000));
        await().atMost(DONE).until(() -> client.get(running.id()).status() == JobStatus.RUNNING);

        JobPage sleeping = client.list(JobQuery.all().withType("sleep").withStatus(JobStatus.RUNNING));
        assertThat(sleeping.jobs()).extracting(Job::id).contains(running.id());
        assertThat(sleeping.jobs()).allSatisfy(j -> {
            assertThat(j.spec().type()).isEqualTo("sleep");
            assertThat(j.status()).isEqualTo(JobStatus.RUNNING);
        });
        assertThat(client.list(JobQuery.all().withType("echo").withStatus(JobStatus.RUNNING))
                        .jobs())
                .extracting(Job::id)
                .doesNotContainAnyElementsOf(ids);

        List<String> seen = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        JobQuery query =
                JobQuery.all().withType("echo").withStatus(JobStatus.COMPLETED).withLimit(2);
        for (int page = 0; page < 200; page++) {
            JobPage one = client.list(query);
            assertThat(one.jobs()).hasSizeLessThanOrEqualTo(2);
            one.jobs().forEach(j -> seen.add(j.id()));
            if (!one.hasMore()) {
                break;
            }
            assertThat(cursors.add(one.nextCursor())).as("cursors never repeat").isTrue();
            query = query.withCursor(one.nextCursor());
        }
        assertThat(seen).doesNotHaveDuplicates().containsAll(ids);
        assertThat(seen).as("newest first").isSortedAccordingTo((a, b) -> b.compareTo(a));
        client.cancel(running.id());
    }

    @Test
    void awaitReturnsTheFinishedJobOrTimesOut() {
        Job done = client.await(client.submit(echo("await")).id(), DONE);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.result().path("tag").asText()).isEqualTo("await");

        Job slow = client.submit(sleep(30_000));
        assertThatThrownBy(() -> client.await(slow.id(), Duration.ofMillis(700)))
                .isInstanceOfSatisfying(AwaitTimeoutException.class, e -> {
                    assertThat(e.code()).isEqualTo("await_timeout");
                    assertThat(e.lastSeen()).isNotNull();
                    assertThat(e.lastSeen().status().isTerminal()).isFalse();
                });
        client.cancel(slow.id());
    }

    @Test
    void awaitHandsEveryEventToTheListener() {
        List<JobEvent> events = new ArrayList<>();
        Job done = client.await(client.submit(sleep(600)).id(), DONE, events::add);

        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(events)
                .extracting(JobEvent::kind)
                .contains(JobEvent.Kind.PROGRESS)
                .last()
                .isEqualTo(JobEvent.Kind.END);
    }

    @Test
    void eventsStreamTypedEventsInOrderWithOutputChunksAndEndLast() {
        Job job = client.submit(JobSpec.of("shell", json("{\"command\":[\"echo\",\"hello from the mesh\"]}")));

        List<JobEvent> events = new ArrayList<>();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (JobEventStream stream = client.events(job.id())) {
            for (int i = 0; i < 10_000 && stream.hasNext(); i++) {
                JobEvent event = stream.next();
                events.add(event);
                output.writeBytes(Chunks.bytes(event));
            }
            assertThat(stream.ended()).isTrue();
            assertThat(stream.lastSeq()).isEqualTo(events.getLast().seq());
        }

        assertThat(events).extracting(JobEvent::seq).isSorted().doesNotHaveDuplicates();
        assertThat(events).allSatisfy(e -> assertThat(e.jobId()).isEqualTo(job.id()));
        assertThat(events.getFirst().kind()).isEqualTo(JobEvent.Kind.STATUS);
        assertThat(events).extracting(JobEvent::kind).contains(JobEvent.Kind.CHUNK);
        assertThat(events.getLast().kind()).isEqualTo(JobEvent.Kind.END);
        assertThat(events.getLast().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(events)
                .filteredOn(e -> e.kind() == JobEvent.Kind.CHUNK)
                .allSatisfy(e -> assertThat(e.stream()).isEqualTo("stdout"));
        assertThat(output.toString(StandardCharsets.UTF_8)).isEqualTo("hello from the mesh\n");

        long middle = events.get(events.size() / 2).seq();
        try (JobEventStream resumed = client.events(job.id(), middle)) {
            List<JobEvent> rest = resumed.stream().toList();
            assertThat(rest)
                    .extracting(JobEvent::seq)
                    .containsExactlyElementsOf(events.stream()
                            .map(JobEvent::seq)
                            .filter(s -> s > middle)
                            .toList());
        }
        try (JobEventStream recorded = client.recordedEvents(job.id())) {
            assertThat(recorded.stream().map(JobEvent::seq).toList())
                    .containsExactlyElementsOf(
                            events.stream().map(JobEvent::seq).toList());
        }
    }

    @Test
    void cancelStopsARunningJobAndASecondCancelIsAConflict() {
        Job job = client.submit(sleep(60_000));
        await().atMost(DONE).until(() -> client.get(job.id()).status() == JobStatus.RUNNING);

        Job cancelled = client.cancel(job.id());

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(client.get(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
        assertThatThrownBy(() -> client.cancel(job.id())).isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.code()).isNotBlank();
        });
    }

    @Test
    void nodesAndNodeDescribeTheConnectedAgent() {
        List<NodeInfo> nodes = client.nodes();

        assertThat(nodes)
                .filteredOn(n -> "sdk-agent".equals(n.name()))
                .singleElement()
                .satisfies(n -> {
                    assertThat(n.status()).isEqualTo(NodeStatus.HEALTHY);
                    assertThat(n.mode()).isEqualTo("websocket");
                    assertThat(n.capabilities()).contains("echo", "sleep", "shell");
                    assertThat(n.maxConcurrent()).isEqualTo(4);
                    NodeInfo one = client.node(n.id());
                    assertThat(one.id()).isEqualTo(n.id());
                    assertThat(one.name()).isEqualTo("sdk-agent");
                });
        assertThatThrownBy(() -> client.node("did:key:nobody")).isInstanceOf(NotFoundException.class);
        assertThat(client.getJson("/v1/nodes").path("nodes").isArray()).isTrue();
    }

    @Test
    void healthyIsTrueForTheCoordinatorAndFalseForAClosedPort() {
        assertThat(client.healthy()).isTrue();
        try (MeshClient nobody = MeshClient.connect("http://127.0.0.1:" + MeshCluster.freePort(), token)) {
            assertThat(nobody.healthy()).isFalse();
            assertThatThrownBy(nobody::nodes).isInstanceOf(MeshUnavailableException.class);
        }
    }

    @Test
    void failuresAreTypedExceptionsCarryingTheApiErrorCode() {
        try (MeshClient stranger = MeshClient.connect(url, "not-the-token")) {
            assertThatThrownBy(() -> stranger.list(JobQuery.all()))
                    .isInstanceOfSatisfying(
                            UnauthorizedException.class,
                            e -> assertThat(e.status()).isEqualTo(401));
            assertThatThrownBy(() -> stranger.submit(echo("x"))).isInstanceOf(UnauthorizedException.class);
        }
        assertThatThrownBy(() -> client.get("01900000-0000-7000-8000-000000000000"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("not_found");
                });
        assertThatThrownBy(() -> client.events("01900000-0000-7000-8000-000000000000"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.submit(echo("bad").withRetry(new RetryPolicy(0, null))))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.code()).isEqualTo("invalid_spec");
                    assertThat(e.details()).extracting(ErrorDetail::field).contains("retry.max_attempts");
                });
    }
}
