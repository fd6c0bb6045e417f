package org.planetarymesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.client.Fixtures.chunk;
import static org.planetarymesh.client.Fixtures.frame;
import static org.planetarymesh.client.LoopbackServer.startStream;
import static org.planetarymesh.client.LoopbackServer.write;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;

class JobEventStreamTest {

    @Test
    void deliversEachEventAsItArrivesAndEndsAfterTheEndEvent() throws Exception {
        Job job = Fixtures.queuedJob();
        Job running = Fixtures.inStatus(job, JobStatus.RUNNING);
        Job done = Fixtures.inStatus(job, JobStatus.COMPLETED);
        CountDownLatch firstRead = new CountDownLatch(1);
        CountDownLatch testDone = new CountDownLatch(1);
        try (LoopbackServer server = new LoopbackServer().on("/v1/jobs/" + job.id() + "/events", exchange -> {
                    OutputStream out = startStream(exchange);
                    String first = frame(JobEvent.status(running, 1));
                    // Split mid-line: the reader must wait for the rest rather than parse a fragment.
                    write(out, first.substring(0, 10));
                    write(out, first.substring(10));
                    await(firstRead);
                    write(out, ": keep-alive\n\n" + frame(chunk(job.id(), 2, "hello\n")));
                    write(out, frame(JobEvent.end(done, 3)));
                    // Hold the connection open: the client must stop at `end`, not at the socket's close.
                    await(testDone);
                });
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            try (JobEventStream events = client.events(job.id())) {
                JobEvent first = events.next();
                assertThat(first.kind()).isEqualTo(JobEvent.Kind.STATUS);
                assertThat(first.status()).isEqualTo(JobStatus.RUNNING);
                firstRead.countDown();

                JobEvent output = events.next();
                assertThat(output.kind()).isEqualTo(JobEvent.Kind.CHUNK);
                assertThat(new String(Chunks.bytes(output), StandardCharsets.UTF_8))
                        .isEqualTo("hello\n");

                JobEvent end = events.next();
                assertThat(end.kind()).isEqualTo(JobEvent.Kind.END);
                assertThat(end.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(events.hasNext()).isFalse();
                assertThat(events.ended()).isTrue();
                assertThat(events.lastSeq()).isEqualTo(3);
            } finally {
                testDone.countDown();
            }
        }
    }

    @Test
    void resumesAfterTheGivenSeqWithLastEventId() throws Exception {
        Job done = Fixtures.inStatus(Fixtures.queuedJob(), JobStatus.COMPLETED);
        try (LoopbackServer server = new LoopbackServer().on("/v1/jobs/" + done.id() + "/events", exchange -> {
                    write(startStream(exchange), frame(JobEvent.end(done, 9)));
                });
                MeshClient client = MeshClient.connect(server.url(), "t");
                JobEventStream events = client.events(done.id(), 8)) {
            List<JobEvent> all = new ArrayList<>();
            events.forEachRemaining(all::add);
            assertThat(all).extracting(JobEvent::seq).containsExactly(9L);
            assertThat(server.seen())
                    .singleElement()
                    .extracting(LoopbackServer.Seen::lastEventId)
                    .isEqualTo("8");
        }
    }

    @Test
    void reportsAStreamThatStopsBeforeTheJobEnds() throws Exception {
        Job job = Fixtures.queuedJob();
        try (LoopbackServer server = new LoopbackServer().on("/v1/jobs/" + job.id() + "/events", exchange -> {
                    write(startStream(exchange), frame(JobEvent.status(Fixtures.inStatus(job, JobStatus.RUNNING), 1)));
                });
                MeshClient client = MeshClient.connect(server.url(), "t");
                JobEventStream events = client.events(job.id())) {
            assertThat(events.next().seq()).isEqualTo(1);
            assertThatThrownBy(events::hasNext)
                    .isInstanceOf(MeshUnavailableException.class)
                    .hasMessageContaining("ended before the job did");
            assertThat(events.lastSeq()).isEqualTo(1);
        }
    }

    @Test
    void closingFromAnotherThreadWakesABlockedReader() throws Exception {
        Job job = Fixtures.queuedJob();
        CountDownLatch testDone = new CountDownLatch(1);
        try (LoopbackServer server = new LoopbackServer().on("/v1/jobs/" + job.id() + "/events", exchange -> {
                    write(startStream(exchange), ": nothing yet\n\n");
                    await(testDone);
                });
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            JobEventStream events = client.events(job.id());
            Thread reader = Thread.ofVirtual().start(events::hasNext);
            // Wait until the reader is really parked inside the read before closing under it.
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> reader.getState() == Thread.State.WAITING);
            events.close();
            assertThat(reader.join(java.time.Duration.ofSeconds(5))).isTrue();
            assertThat(events.hasNext()).isFalse();
        } finally {
            testDone.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the server");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
