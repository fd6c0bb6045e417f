package org.planetarymesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.client.Fixtures.frame;
import static org.planetarymesh.client.Fixtures.json;
import static org.planetarymesh.client.LoopbackServer.respond;
import static org.planetarymesh.client.LoopbackServer.startStream;
import static org.planetarymesh.client.LoopbackServer.write;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobStatus;

/** {@link MeshClient#await} on the shared {@code GET /v1/events} stream, and its way back when that stream fails. */
class EndedJobsStreamTest {

    private static final String NO_ROUTE = "{\"error\":{\"code\":\"not_found\",\"message\":\"no route\"}}";

    private final CountDownLatch testDone = new CountDownLatch(1);

    @AfterEach
    void releaseStreams() {
        testDone.countDown();
    }

    @Test
    void awaitsOnJobsNewerThanTheStreamCostNoRequestOfTheirOwn() throws IOException {
        String coversAfter = JobIds.next();
        Job first = Fixtures.inStatus(Fixtures.queuedJob(), JobStatus.COMPLETED);
        Job second = Fixtures.inStatus(Fixtures.queuedJob(), JobStatus.FAILED);
        try (LoopbackServer server = new LoopbackServer().on("/v1/events", e -> {
                    OutputStream out = startStream(e);
                    write(out, ready(coversAfter));
                    write(out, end(first) + end(second));
                    holdOpen();
                });
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            assertThat(client.await(first.id(), Duration.ofSeconds(10))).isEqualTo(first);
            assertThat(client.await(second.id(), Duration.ofSeconds(10))).isEqualTo(second);

            assertThat(server.seen()).extracting(LoopbackServer.Seen::uri).containsExactly("/v1/events");
        }
    }

    @Test
    void aJobOlderThanTheStreamIsReadOnceInCaseItEndedBefore() throws IOException {
        Job done = Fixtures.inStatus(Fixtures.queuedJob(), JobStatus.COMPLETED);
        String coversAfter = JobIds.next(); // minted after the job: its end may predate the stream
        try (LoopbackServer server = new LoopbackServer()
                        .on("/v1/events", e -> {
                            write(startStream(e), ready(coversAfter));
                            holdOpen();
                        })
                        .on("/v1/jobs/" + done.id(), e -> respond(e, 200, json(done)));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            assertThat(client.await(done.id(), Duration.ofSeconds(10))).isEqualTo(done);

            assertThat(server.seen())
                    .extracting(LoopbackServer.Seen::uri)
                    .containsExactly("/v1/events", "/v1/jobs/" + done.id());
        }
    }

    @Test
    void whenTheSharedStreamBreaksTheAwaitFollowsItsJobAlone() throws IOException {
        String coversAfter = JobIds.next();
        Job job = Fixtures.queuedJob();
        Job done = Fixtures.inStatus(job, JobStatus.COMPLETED);
        // Ready, then the stream ends without the job's end, as a restarting coordinator's would.
        try (LoopbackServer server = servingAlone(done, e -> write(startStream(e), ready(coversAfter)));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            assertThat(client.await(job.id(), Duration.ofSeconds(10))).isEqualTo(done);

            assertThat(server.seen())
                    .extracting(LoopbackServer.Seen::uri)
                    .contains("/v1/events", "/v1/jobs/" + job.id() + "/events");
        }
    }

    @Test
    void aCoordinatorWithoutTheStreamIsAwaitedPerJob() throws IOException {
        Job job = Fixtures.queuedJob();
        Job done = Fixtures.inStatus(job, JobStatus.COMPLETED);
        try (LoopbackServer server = servingAlone(done, e -> respond(e, 404, NO_ROUTE));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            assertThat(client.await(job.id(), Duration.ofSeconds(10))).isEqualTo(done);
            assertThat(client.await(job.id(), Duration.ofSeconds(10))).isEqualTo(done);

            // The 404 is remembered for a while: the second await does not ask for the stream again.
            assertThat(server.seen())
                    .extracting(LoopbackServer.Seen::uri)
                    .filteredOn(uri -> uri.equals("/v1/events"))
                    .hasSize(1);
        }
    }

    /** A server with {@code meshEvents} at {@code /v1/events}, and {@code done} as its own stream and GET serve it. */
    private static LoopbackServer servingAlone(Job done, HttpHandler meshEvents) throws IOException {
        return new LoopbackServer()
                .on("/v1/events", meshEvents)
                .on("/v1/jobs/" + done.id() + "/events", e -> write(startStream(e), frame(JobEvent.end(done, 7))))
                .on("/v1/jobs/" + done.id(), e -> respond(e, 200, json(done)));
    }

    private void holdOpen() {
        try {
            testDone.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String ready(String coversAfter) {
        return "event: ready\ndata: {\"covers_jobs_after\":\"" + coversAfter + "\"}\n\n";
    }

    private static String end(Job job) {
        return "event: end\ndata: " + json(job) + "\n\n";
    }
}
