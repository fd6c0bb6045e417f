package org.planetarymesh.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.executor.CapabilityRouter;
import org.planetarymesh.agent.link.Outbox;
import org.planetarymesh.agent.link.OutboxJobListener;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.executor.Executor;

/** With nobody draining the outbox (a link that is down), a chatty job fails after 5 s instead of growing memory. */
class BackpressureTest {
    @TempDir
    Path work;

    @Test
    void fullOutboxFailsTheJobWithBackpressure() throws Exception {
        Executor shell = org.planetarymesh.agent.executor.TestExecutors.shell("/bin/sh");
        JobRunner runner = new JobRunner(new CapabilityRouter(Map.of("shell", shell), Map.of(), null), 2, work);
        Outbox outbox = new Outbox(16);
        JsonNode payload = Json.mapper()
                .readTree("{\"command\": [\"/bin/sh\", \"-c\", \"while true; do echo spam; sleep 0.01; done\"]}");

        Admission admission = runner.submit(
                new JobTicket("chatty", 1, "shell", payload, null), new OutboxJobListener(outbox, "chatty", 1));
        assertThat(admission).isInstanceOf(Admission.Accepted.class);

        await().atMost(Duration.ofSeconds(15)).until(() -> runner.running().isEmpty());
        Message last = lastOf(outbox);
        assertThat(last).isInstanceOfSatisfying(Message.JobError.class, e -> {
            assertThat(e.errorCode()).isEqualTo("backpressure");
            assertThat(e.message()).contains("took no output for 5 s");
        });
        assertThat(outbox.size()).isLessThanOrEqualTo(17);
        runner.close();
    }

    private static Message lastOf(Outbox outbox) throws InterruptedException {
        return outbox.peekBatch(Integer.MAX_VALUE).getLast();
    }
}
