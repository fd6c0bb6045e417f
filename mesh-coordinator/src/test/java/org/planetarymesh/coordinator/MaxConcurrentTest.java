package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.protocol.Message;

/** A burst of 1,000 jobs never puts more jobs on a node than its max_concurrent, and all of them complete. */
class MaxConcurrentTest {

    @TempDir
    Path dir;

    /** An agent reaction that counts concurrently running jobs, holds each briefly, then completes it. */
    static final class PeakTracker {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();

        BiConsumer<ProtocolAgent, Message.AssignJob> reaction() {
            return (agent, assign) -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                agent.send(new Message.JobAccepted(assign.jobId(), assign.attempt()));
                try {
                    Thread.sleep(2); // the "work"; not synchronisation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet(); // before reporting, so the coordinator may fill the slot again
                done.incrementAndGet();
                agent.finish(assign);
            };
        }
    }

    @Test
    void burstOfAThousandRespectsEachNodesLimit() throws Exception {
        PeakTracker small = new PeakTracker();
        PeakTracker large = new PeakTracker();
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent a = ProtocolAgent.connect(coordinator, "small", List.of("echo"), 3, small.reaction());
                ProtocolAgent b = ProtocolAgent.connect(coordinator, "large", List.of("echo"), 5, large.reaction())) {
            TestCoordinator.awaitNodes(coordinator, 2);
            StringBuilder batch = new StringBuilder("{\"jobs\":[");
            for (int i = 0; i < 1_000; i++) {
                batch.append(i == 0 ? "" : ",")
                        .append("{\"type\":\"echo\",\"payload\":{\"i\":")
                        .append(i)
                        .append("}}");
            }
            var created = TestCoordinator.post(
                    coordinator, "/v1/jobs/batch", batch.append("]}").toString());
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.body().path("ids")).hasSize(1_000);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> TestCoordinator.get(coordinator, "/v1/jobs?status=COMPLETED&limit=1000")
                                    .body()
                                    .path("jobs")
                                    .size()
                            == 1_000);
            assertThat(small.peak.get()).isBetween(1, 3);
            assertThat(large.peak.get()).isBetween(2, 5); // jobs really ran side by side
            assertThat(small.done.get() + large.done.get()).isEqualTo(1_000);
            assertThat(TestCoordinator.get(coordinator, "/v1/jobs?status=QUEUED")
                            .body()
                            .path("jobs"))
                    .isEmpty();
        }
    }
}
